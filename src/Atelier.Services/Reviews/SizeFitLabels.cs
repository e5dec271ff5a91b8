using System.Globalization;
using Atelier.Ml.Text;

namespace Atelier.Services.Reviews;

/// <summary>
/// The hand labels of size and fit (tests/Atelier.Ml.Tests/Text/Data/size_fit_labels.csv: row index of the Women's
/// reviews file + none|small|large|true_to_size; see the README beside it) and the extractor's scores on them.
/// </summary>
public static class SizeFitLabels
{
    public const string RelativePath = "tests/Atelier.Ml.Tests/Text/Data/size_fit_labels.csv";

    public static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, RelativePath);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    public static List<(int Index, SizeFitVerdict Label)> Read(TextReader reader)
    {
        var labels = new List<(int, SizeFitVerdict)>();
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            var parts = line.Split(',');
            labels.Add((int.Parse(parts[0], CultureInfo.InvariantCulture), Parse(parts[1].Trim())));
        }
        return labels;
    }

    public static SizeFitVerdict Parse(string label) => label switch
    {
        "none" => SizeFitVerdict.None,
        "small" => SizeFitVerdict.RunsSmall,
        "large" => SizeFitVerdict.RunsLarge,
        "true_to_size" => SizeFitVerdict.TrueToSize,
        _ => throw new InvalidDataException($"unknown size-fit label '{label}'"),
    };

    /// <summary>Micro precision/recall over the three non-"none" verdicts (a wrong direction counts against both).</summary>
    public static SizeFitFigures Score(IReadOnlyList<(int Index, SizeFitVerdict Label)> labels, IReadOnlyDictionary<int, string> texts, AspectExtractor extractor)
    {
        int predicted = 0, actual = 0, correct = 0, agree = 0;
        foreach (var (index, label) in labels)
        {
            var verdict = extractor.Extract(texts[index]).SizeFit;
            if (verdict != SizeFitVerdict.None) predicted++;
            if (label != SizeFitVerdict.None) actual++;
            if (verdict != SizeFitVerdict.None && verdict == label) correct++;
            if (verdict == label) agree++;
        }
        var precision = predicted == 0 ? 0 : (double)correct / predicted;
        var recall = actual == 0 ? 0 : (double)correct / actual;
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new SizeFitFigures(labels.Count, Math.Round(precision, 4), Math.Round(recall, 4), Math.Round(f1, 4),
            Math.Round((double)agree / labels.Count, 4));
    }
}
