using Atelier.Ml.Text;

namespace Atelier.Services.Reviews;

/// <summary>Grid search of per-class probability offsets that maximise macro-F1 on a validation split.</summary>
public static class DecisionTuning
{
    public static float[] TuneOffsets(float[] proba, int[] truth, int classes)
    {
        var best = new float[classes];
        var bestScore = Score(proba, truth, classes, best);
        var offsets = new float[classes];
        if (classes == 2)
        {
            for (var t = -0.45f; t <= 0.45f; t += 0.01f)
            {
                offsets[1] = t;
                Consider(offsets);
            }
        }
        else
        {
            // Class K-1 is the reference (offset 0); search the others on a grid.
            for (var a = -0.3f; a <= 0.3f; a += 0.02f)
                for (var b = -0.3f; b <= 0.3f; b += 0.02f)
                {
                    offsets[0] = a;
                    offsets[1] = b;
                    Consider(offsets);
                }
        }
        return best;

        void Consider(float[] o)
        {
            var s = Score(proba, truth, classes, o);
            if (s <= bestScore + 1e-9) return;
            bestScore = s;
            o.CopyTo(best, 0);
        }
    }

    /// <summary>Macro-F1 plus a small accuracy tie-breaker.</summary>
    private static double Score(float[] proba, int[] truth, int classes, float[] offsets)
    {
        var m = ClassificationMetrics.Compute(truth, ClassificationMetrics.ArgMax(proba, classes, offsets), classes);
        return m.MacroF1 + 0.1 * m.Accuracy;
    }
}
