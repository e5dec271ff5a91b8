using static Atelier.Ml.Customers.SpecialFunctions;

namespace Atelier.Ml.Customers;

/// <summary>
/// Gamma–Gamma spend model (Fader, Hardie &amp; Lee 2005, "RFM and CLV", and Colombo &amp; Jiang 1999): transaction
/// values ~ Gamma(p, ν) with ν ~ Gamma(q, γ). Fitted on customers with at least one repeat purchase.
/// </summary>
public sealed record GammaGamma(double P, double Q, double Gamma)
{
    /// <summary>log-likelihood of x transactions with mean value m (the m-only marginal, dropping terms free of p, q, γ).</summary>
    public double LogLikelihood(double x, double m) =>
        LogGamma(P * x + Q) - LogGamma(P * x) - LogGamma(Q) + Q * Math.Log(Gamma)
        + (P * x - 1) * Math.Log(m) + P * x * Math.Log(x) - (P * x + Q) * Math.Log(Gamma + m * x);

    public static GammaGamma Fit(ReadOnlySpan<(double X, double MeanValue)> customers)
    {
        var data = customers.ToArray();
        double Nll(double[] p)
        {
            var m = new GammaGamma(Math.Exp(p[0]), Math.Exp(p[1]), Math.Exp(p[2]));
            double s = 0;
            foreach (var (x, v) in data) s -= m.LogLikelihood(x, v);
            return s / data.Length;
        }
        var (best, _, _) = NelderMead.Minimise(Nll, [0, 0, 0], step: 0.5);
        (best, _, _) = NelderMead.Minimise(Nll, best, step: 0.1);
        return new GammaGamma(Math.Exp(best[0]), Math.Exp(best[1]), Math.Exp(best[2]));
    }

    /// <summary>E[M | x, m̄] = p(γ + x m̄) / (p x + q − 1), eq. (5) of "RFM and CLV".</summary>
    public double ExpectedAverageValue(double x, double meanValue) =>
        x <= 0 ? P * Gamma / (Q - 1) : P * (Gamma + x * meanValue) / (P * x + Q - 1);
}
