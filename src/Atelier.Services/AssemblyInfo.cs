[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Atelier.Ml.Tests")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Atelier.IntegrationTests")]
