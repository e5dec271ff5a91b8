[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Atelier.Ml.Tests")]
