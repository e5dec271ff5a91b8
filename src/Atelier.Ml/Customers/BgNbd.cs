using static Atelier.Ml.Customers.SpecialFunctions;

namespace Atelier.Ml.Customers;

/// <summary>One customer's calibration summary: x repeat purchases, tx time of last purchase, T age (same unit, e.g. days).</summary>
public readonly record struct RepeatSummary(double X, double Tx, double T);

/// <summary>
/// BG/NBD model (Fader, Hardie &amp; Lee 2005, "Counting your customers the easy way"): purchases Poisson(λ) with
/// λ ~ Gamma(r, α); after each purchase the customer drops out with probability p ~ Beta(a, b).
/// </summary>
public sealed record BgNbd(double R, double Alpha, double A, double B)
{
    /// <summary>Per-customer log-likelihood, eq. (6) of the paper, evaluated in log space.</summary>
    public double LogLikelihood(RepeatSummary c)
    {
        var x = c.X;
        var a1 = LogGamma(R + x) - LogGamma(R) + R * Math.Log(Alpha);
        var a2 = LogBeta(A, B + x) - LogBeta(A, B) - (R + x) * Math.Log(Alpha + c.T);
        if (x <= 0) return a1 + a2;
        var a3 = LogBeta(A + 1, B + x - 1) - LogBeta(A, B) - (R + x) * Math.Log(Alpha + c.Tx);
        var m = Math.Max(a2, a3);
        return a1 + m + Math.Log(Math.Exp(a2 - m) + Math.Exp(a3 - m));
    }

    public double TotalLogLikelihood(ReadOnlySpan<RepeatSummary> customers)
    {
        double s = 0;
        foreach (var c in customers) s += LogLikelihood(c);
        return s;
    }

    /// <summary>Maximum likelihood over log-parameters with Nelder–Mead (restarted once from the optimum).</summary>
    public static BgNbd Fit(RepeatSummary[] customers, double penalty = 0)
    {
        double Nll(double[] p)
        {
            var m = new BgNbd(Math.Exp(p[0]), Math.Exp(p[1]), Math.Exp(p[2]), Math.Exp(p[3]));
            // Fixed chunks summed in order: parallel yet deterministic.
            const int chunks = 16;
            var partial = new double[chunks];
            Parallel.For(0, chunks, MlParallel.Options, k =>
            {
                double local = 0;
                for (var i = k; i < customers.Length; i += chunks) local += m.LogLikelihood(customers[i]);
                partial[k] = local;
            });
            var s = 0.0;
            foreach (var v in partial) s -= v;
            for (var i = 0; i < 4; i++) s += penalty * p[i] * p[i];
            return s / customers.Length;
        }
        var meanT = 0.0;
        foreach (var c in customers) meanT += c.T;
        meanT /= customers.Length;
        double[] start = [0, Math.Log(Math.Max(1, meanT / 10)), 0, 0];
        var (x, _, _) = NelderMead.Minimise(Nll, start, step: 0.5, tol: 1e-9);
        (x, _, _) = NelderMead.Minimise(Nll, x, step: 0.05, tol: 1e-9);
        return new BgNbd(Math.Exp(x[0]), Math.Exp(x[1]), Math.Exp(x[2]), Math.Exp(x[3]));
    }

    /// <summary>P(alive | x, tx, T), eq. (11).</summary>
    public double ProbabilityAlive(RepeatSummary c) =>
        c.X <= 0 ? 1 : 1 / (1 + A / (B + c.X - 1) * Math.Exp((R + c.X) * Math.Log((Alpha + c.T) / (Alpha + c.Tx))));

    /// <summary>E[purchases in (T, T + t] | x, tx, T], eq. (10).</summary>
    public double ExpectedPurchases(RepeatSummary c, double t)
    {
        var x = c.X;
        var z = t / (Alpha + c.T + t);
        var head = (A + B + x - 1) / (A - 1);
        var hyp = Hyp2F1(R + x, B + x, A + B + x - 1, z);
        var num = head * (1 - Math.Exp((R + x) * Math.Log((Alpha + c.T) / (Alpha + c.T + t))) * hyp);
        var den = x > 0 ? 1 + A / (B + x - 1) * Math.Exp((R + x) * Math.Log((Alpha + c.T) / (Alpha + c.Tx))) : 1;
        return num / den;
    }

    /// <summary>P(no purchase in (T, T + t]) = 1 − P(alive) + P(alive)·((α+T)/(α+T+t))^(r+x) (Poisson–Gamma posterior).</summary>
    public double ProbabilityNoPurchase(RepeatSummary c, double t)
    {
        var alive = ProbabilityAlive(c);
        return 1 - alive + alive * Math.Exp((R + c.X) * Math.Log((Alpha + c.T) / (Alpha + c.T + t)));
    }

    /// <summary>Expected days to the next purchase if alive: 1 / E[λ | data] = (α + T) / (r + x).</summary>
    public double ExpectedDaysToNextPurchase(RepeatSummary c) => (Alpha + c.T) / (R + c.X);
}
