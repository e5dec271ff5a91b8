using System.Diagnostics;
using System.Text.Json;
using Atelier.Ml.Text;
using Npgsql;
using NpgsqlTypes;

namespace Atelier.Services.Reviews;

/// <summary>
/// Scores every review of the store (VADER compound, a TF-IDF + logistic regression classifier trained on the store's
/// own ratings when there are enough, aspects and size &amp; fit) and replaces <c>review_insight</c> and
/// <c>product_review_insight</c> in one transaction.
/// </summary>
public sealed class ReviewInsightService(NpgsqlDataSource db)
{
    public const int MinTrainingReviews = 200;
    public const int MinPerClass = 5;
    private const long WriteLock = 0x526576496E7369;
    private static readonly Aspect[] StoredAspects = [Aspect.Quality, Aspect.Fabric, Aspect.Colour, Aspect.Comfort, Aspect.Price, Aspect.SizeFit];

    public async Task<ReviewInsightSummary> AnalyzeAsync(CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var reviews = new List<(long Id, long Product, int Rating, string Text)>();
        await using (var cmd = db.CreateCommand(
            "SELECT review_id, product_id, rating, concat_ws('. ', nullif(trim(title), ''), nullif(trim(body), '')) FROM review ORDER BY review_id"))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                reviews.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt16(2), reader.GetString(3)));

        var vader = VaderLexicon.CreateScorer();
        var extractor = new AspectExtractor(vader);
        var texts = reviews.Select(r => r.Text).ToList();
        var compound = texts.Select(t => (float)vader.Score(t).Compound).ToArray();
        var (proba, source, note, accuracy) = Classify(texts, reviews.Select(r => r.Rating).ToArray());

        var rows = new ReviewInsightRow[reviews.Count];
        for (var i = 0; i < reviews.Count; i++)
        {
            string label; float score;
            if (proba is null)
            {
                label = compound[i] >= 0.05f ? "positive" : compound[i] <= -0.05f ? "negative" : "neutral";
                score = compound[i];
            }
            else
            {
                var p = proba.AsSpan(i * 3, 3);
                var best = p[2] >= p[1] && p[2] >= p[0] ? 2 : p[1] >= p[0] ? 1 : 0;
                label = ReviewInsightNames.Sentiments[best];
                score = Math.Clamp(p[2] - p[0], -1f, 1f);
            }
            rows[i] = new ReviewInsightRow(reviews[i].Id, reviews[i].Product, label, score, source, Math.Clamp(compound[i], -1f, 1f),
                extractor.Extract(texts[i]));
        }
        var products = rows.Select((r, i) => (Row: r, Rating: reviews[i].Rating)).GroupBy(t => t.Row.ProductId)
            .Select(g => new ProductReviewInsightRow(g.Key, g.Count(), Math.Round((decimal)g.Average(t => t.Rating), 2),
                g.Count(t => t.Row.SentimentLabel == "positive"), g.Count(t => t.Row.SentimentLabel == "negative"),
                ProductAspectSummary.Summarize(g.Select(t => t.Row.Aspects))))
            .ToList();
        await StoreAsync(rows, products, ct);
        return new ReviewInsightSummary(rows.Length, products.Count, source, note, accuracy, products.Count(p => p.Summary.Advice is not null),
            rows.Count(r => r.Aspects.SizeFit == SizeFitVerdict.RunsSmall), rows.Count(r => r.Aspects.SizeFit == SizeFitVerdict.RunsLarge),
            rows.Count(r => r.Aspects.SizeFit == SizeFitVerdict.TrueToSize), Math.Round(sw.Elapsed.TotalSeconds, 2));
    }

    /// <summary>
    /// 3 classes from the rating (1–2 negative, 3 neutral, 4–5 positive). Each review is scored by a model trained on the
    /// other fold (2-fold cross-fitting), so its own rating never leaks into its score.
    /// </summary>
    private static (float[]? Proba, string Source, string Note, double? Accuracy) Classify(List<string> texts, int[] ratings)
    {
        var labels = ratings.Select(r => r <= 2 ? 0 : r == 3 ? 1 : 2).ToArray();
        var counts = new int[3];
        foreach (var l in labels) counts[l]++;
        var usable = texts.Count(t => t.Length > 0);
        if (usable < MinTrainingReviews || counts.Min() < MinPerClass)
            return (null, "vader", $"VADER only: {usable} reviews with text (classifier needs {MinTrainingReviews} and {MinPerClass} per class; have {counts[0]}/{counts[1]}/{counts[2]})", null);
        var options = new TextClassifierOptions
        {
            Tfidf = new TfidfOptions { WordNgramMax = 2, MinDf = 2 },
            Regression = new LogisticRegressionOptions { C = 1 },
            BalancedClassWeights = true,
        };
        var proba = new float[texts.Count * 3];
        var correct = 0;
        for (var fold = 0; fold < 2; fold++)
        {
            var train = Enumerable.Range(0, texts.Count).Where(i => i % 2 != fold).ToArray();
            var test = Enumerable.Range(0, texts.Count).Where(i => i % 2 == fold).ToArray();
            var model = TextClassifier.Fit(train.Select(i => texts[i]).ToList(), train.Select(i => labels[i]).ToArray(), 3, options);
            var p = model.PredictProba(test.Select(i => texts[i]).ToList());
            for (var j = 0; j < test.Length; j++)
            {
                p.AsSpan(j * 3, 3).CopyTo(proba.AsSpan(test[j] * 3, 3));
                var row = p.AsSpan(j * 3, 3);
                var best = row[2] >= row[1] && row[2] >= row[0] ? 2 : row[1] >= row[0] ? 1 : 0;
                if (best == labels[test[j]]) correct++;
            }
        }
        var accuracy = Math.Round((double)correct / texts.Count, 4);
        return (proba, "classifier", $"TF-IDF + logistic regression trained on {texts.Count} store reviews (2-fold cross-fitted, accuracy {accuracy:0.###})", accuracy);
    }

    private async Task StoreAsync(ReviewInsightRow[] rows, List<ProductReviewInsightRow> products, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var c = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({WriteLock}); DELETE FROM review_insight; DELETE FROM product_review_insight;", conn, tx))
            await c.ExecuteNonQueryAsync(ct);
        await using (var w = await conn.BeginBinaryImportAsync("""
            COPY review_insight (review_id, product_id, sentiment_label, sentiment_score, sentiment_source, vader_compound, size_fit,
                quality, fabric, colour, comfort, price, size_fit_polarity, analysed_at) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var r in rows)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(r.ReviewId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.ProductId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.SentimentLabel, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.SentimentScore, NpgsqlDbType.Real, ct);
                await w.WriteAsync(r.SentimentSource, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.VaderCompound, NpgsqlDbType.Real, ct);
                await w.WriteAsync(ReviewInsightNames.SizeFit(r.Aspects.SizeFit), NpgsqlDbType.Text, ct);
                foreach (var a in StoredAspects)
                {
                    if (r.Aspects.PolarityOf(a) is { } p) await w.WriteAsync((short)p, NpgsqlDbType.Smallint, ct);
                    else await w.WriteNullAsync(ct);
                }
                await w.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            }
            await w.CompleteAsync(ct);
        }
        await using (var w = await conn.BeginBinaryImportAsync("""
            COPY product_review_insight (product_id, reviews, average_rating, runs_small, runs_large, true_to_size, share_small, share_large,
                share_true, consensus, advice, aspects, positive_reviews, negative_reviews, analysed_at) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var p in products)
            {
                var s = p.Summary;
                var sized = s.RunsSmall + s.RunsLarge + s.TrueToSize;
                await w.StartRowAsync(ct);
                await w.WriteAsync(p.ProductId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(p.Reviews, NpgsqlDbType.Integer, ct);
                if (p.AverageRating is { } avg) await w.WriteAsync(avg, NpgsqlDbType.Numeric, ct); else await w.WriteNullAsync(ct);
                await w.WriteAsync(s.RunsSmall, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(s.RunsLarge, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(s.TrueToSize, NpgsqlDbType.Integer, ct);
                foreach (var count in new[] { s.RunsSmall, s.RunsLarge, s.TrueToSize })
                {
                    if (sized > 0) await w.WriteAsync((float)count / sized, NpgsqlDbType.Real, ct);
                    else await w.WriteNullAsync(ct);
                }
                await w.WriteAsync(ReviewInsightNames.SizeFit(s.Consensus), NpgsqlDbType.Text, ct);
                if (s.Advice is not null) await w.WriteAsync(s.Advice, NpgsqlDbType.Text, ct); else await w.WriteNullAsync(ct);
                await w.WriteAsync(AspectsJson(s), NpgsqlDbType.Jsonb, ct);
                await w.WriteAsync(p.PositiveReviews, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(p.NegativeReviews, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            }
            await w.CompleteAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    private static string AspectsJson(ProductAspectSummary s) =>
        JsonSerializer.Serialize(s.Aspects.Select(a => new Dictionary<string, object>
        {
            ["aspect"] = ReviewInsightNames.Aspect(a.Aspect), ["positive"] = a.Positive, ["negative"] = a.Negative, ["mentions"] = a.Mentions,
        }));
}
