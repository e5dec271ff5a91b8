using Atelier.Services.Customers;
using Atelier.Services.Datasets;

namespace Atelier.Ml.Tests.Customers;

public sealed class ChurnEvaluationTests
{
    /// <summary>Synthetic shop: customers start Dec 2010–Feb 2011, buy as a Poisson process and drop out at an
    /// exponential time, so churn depends on recency and frequency.</summary>
    private static List<CustomerHistory> Synthetic(int customers)
    {
        var rng = new Random(7);
        var start = new DateTime(2010, 12, 1);
        var end = new DateTime(2011, 12, 9);
        var rows = new List<OnlineRetailRow>();
        for (var c = 1; c <= customers; c++)
        {
            var t = start.AddDays(rng.NextDouble() * 89);
            var rate = 0.005 + 0.075 * rng.NextDouble();
            var death = t.AddDays(-Math.Log(1 - rng.NextDouble()) * 250);
            var n = 0;
            while (t < end && t < death)
            {
                rows.Add(new OnlineRetailRow($"{c}-{n}", $"S{rng.Next(40)}", "ITEM", 1 + rng.Next(5), t, 5m, c, c % 3 == 0 ? "France" : "United Kingdom"));
                n++;
                t = t.AddDays(-Math.Log(1 - rng.NextDouble()) / rate);
            }
        }
        return CustomerHistory.FromRows(rows);
    }

    [Fact]
    public void ModelIsChosenByCrossValidationAndAugmentationUsesOnlyTrainingCustomers()
    {
        var histories = Synthetic(300);
        var report = ChurnEvaluation.Run(histories);
        var best = report.Models.MaxBy(m => m.CvAuroc)!;
        // the reported model and AUROC follow the cross-validated choice, not the hold-out
        Assert.Equal(best.Model, report.BestModel);
        Assert.Equal(best.Auroc, report.Auroc);
        Assert.Equal(best.CvAuroc, report.CvAuroc);
        Assert.All(report.Models, m => Assert.InRange(m.CvAuroc, 0.0, 1.0));
        Assert.InRange(report.CvAuroc, 0.6, 1.0);
        Assert.Contains(report.Models, m => m.Model == "logistic_regression");
        Assert.Contains(report.Models, m => m.Model == "gbdt_augmented");
        // every customer started before both earlier cut-offs, so the augmented set holds each training customer
        // three times and no hold-out customer at all
        Assert.All(histories, h => Assert.True(h.Invoices[0].Date < ChurnEvaluation.AugmentCutoffs[^1]));
        Assert.Equal(report.Customers, report.Train + report.Holdout);
        Assert.Equal(3 * report.Train, report.AugmentedTrainRows);
    }
}
