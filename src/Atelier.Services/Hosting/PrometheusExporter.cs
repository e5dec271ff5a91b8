using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Atelier.Services.Hosting;

/// <summary>
/// Collects the measurements of chosen meters (System.Diagnostics.Metrics) in process and writes them in the
/// Prometheus text exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/): counters as
/// <c>name_total</c>, histograms as cumulative <c>_bucket{le}</c> + <c>_sum</c> + <c>_count</c>, gauges and up-down
/// counters as their value. Names follow Prometheus' OpenTelemetry mapping: dots become underscores and the unit is a
/// suffix (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>; annotations like <c>{request}</c> are dropped).
/// One series per distinct tag set; a measurement's cost is a dictionary lookup and a lock on its series.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>The meters <c>/metrics</c> shows: the platform's, ASP.NET Core's (requests, connections, rate limiting,
    /// authentication) and the runtime's (GC, CPU, thread pool).</summary>
    public static readonly string[] DefaultMeters =
    [
        AtelierMeter.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Diagnostics", "System.Runtime",
    ];

    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly MeterListener _listener = new();
    private readonly HashSet<string> _meters;
    private readonly ConcurrentDictionary<Instrument, Family> _families = new();
    private readonly Lock _collect = new();

    public PrometheusExporter(IEnumerable<string>? meters = null)
    {
        _meters = new HashSet<string>(meters ?? DefaultMeters, StringComparer.Ordinal);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!_meters.Contains(instrument.Meter.Name)) return;
            var family = new Family(instrument);
            _families[instrument] = family;
            listener.EnableMeasurementEvents(instrument, family);
        };
        _listener.MeasurementsCompleted = (instrument, _) => _families.TryRemove(instrument, out Family? _);
        _listener.SetMeasurementEventCallback<long>((i, v, tags, state) => ((Family)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, state) => ((Family)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, state) => ((Family)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, state) => ((Family)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<short>((i, v, tags, state) => ((Family)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<byte>((i, v, tags, state) => ((Family)state!).Record(v, tags));
        _listener.Start();
    }

    /// <summary>All series now, in the text format (observable instruments are read at this moment).</summary>
    public string Scrape()
    {
        var sb = new StringBuilder();
        lock (_collect)
        {
            foreach (var f in _families.Values) f.BeginCollect();
            _listener.RecordObservableInstruments();
            foreach (var f in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal)) f.Write(sb);
        }
        return sb.ToString();
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>Prometheus metric name of an instrument (without the <c>_total</c> of counters).</summary>
    public static string MetricName(string instrument, string? unit)
    {
        var name = Sanitise(instrument);
        var suffix = unit switch
        {
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            "1" or null or "" => "",
            _ when unit.StartsWith('{') => "",
            _ => Sanitise(unit),
        };
        return suffix.Length == 0 || name.EndsWith("_" + suffix, StringComparison.Ordinal) ? name : name + "_" + suffix;
    }

    private static string Sanitise(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s) sb.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        if (sb.Length > 0 && char.IsAsciiDigit(sb[0])) sb.Insert(0, '_');
        return sb.ToString();
    }

    private static string Escape(string v) => v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double v) => double.IsPositiveInfinity(v) ? "+Inf" : double.IsNegativeInfinity(v) ? "-Inf"
        : double.IsNaN(v) ? "NaN" : v.ToString("R", CultureInfo.InvariantCulture);

    private enum Kind { Counter, Gauge, Histogram }

    /// <summary>One instrument: its series by tag set.</summary>
    private sealed class Family
    {
        private readonly Kind _kind;
        private readonly double[] _bounds;
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly string _help;
        private readonly bool _observable;
        private readonly bool _accumulates;

        public Family(Instrument instrument)
        {
            var t = instrument.GetType();
            var generic = t.IsGenericType ? t.GetGenericTypeDefinition() : t;
            _kind = generic == typeof(Counter<>) || generic == typeof(ObservableCounter<>) ? Kind.Counter
                : generic == typeof(Histogram<>) ? Kind.Histogram : Kind.Gauge;
            _observable = instrument.IsObservable;
            // Counters and up-down counters report increments; gauges and observable instruments report the value itself.
            _accumulates = !_observable && generic != typeof(Gauge<>);
            Name = MetricName(instrument.Name, instrument.Unit);
            _help = instrument.Description ?? instrument.Name;
            _bounds = _kind == Kind.Histogram ? BucketsOf(instrument) : [];
        }

        public string Name { get; }

        private static double[] BucketsOf(Instrument instrument) => instrument switch
        {
            Histogram<double> h when h.Advice?.HistogramBucketBoundaries is { Count: > 0 } b => [.. b],
            Histogram<long> h when h.Advice?.HistogramBucketBoundaries is { Count: > 0 } b => b.Select(x => (double)x).ToArray(),
            Histogram<int> h when h.Advice?.HistogramBucketBoundaries is { Count: > 0 } b => b.Select(x => (double)x).ToArray(),
            _ => DefaultBuckets,
        };

        /// <summary>Observable counters report cumulative totals and gauges current values: both replace, per collection.</summary>
        public void BeginCollect()
        {
            if (_observable) _series.Clear();
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var key = Labels(tags);
            var s = _series.GetOrAdd(key, _ => new Series(_bounds.Length));
            lock (s)
            {
                if (_kind == Kind.Histogram)
                {
                    s.Value += value;
                    s.Count++;
                    int b = 0;
                    while (b < _bounds.Length && value > _bounds[b]) b++;
                    if (b < _bounds.Length) s.Buckets[b]++;
                }
                else if (_accumulates) s.Value += value;
                else s.Value = value;
            }
        }

        // Every HTTP request records several measurements: the series key is built in a per-thread buffer, with the
        // label names sanitised once per process, so a measurement allocates only the key string itself.
        private static readonly ConcurrentDictionary<string, string> LabelNames = new(StringComparer.Ordinal);
        [ThreadStatic] private static StringBuilder? t_key;
        [ThreadStatic] private static (string Name, object? Value)[]? t_tags;

        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0) return "";
            if (t_tags is null || t_tags.Length < tags.Length) t_tags = new (string, object?)[Math.Max(8, tags.Length)];
            var sorted = t_tags;
            for (int i = 0; i < tags.Length; i++)
            {
                // Insertion sort by label name: tag lists are a handful long.
                var entry = (LabelNames.GetOrAdd(tags[i].Key, Sanitise), tags[i].Value);
                int j = i;
                for (; j > 0 && string.CompareOrdinal(sorted[j - 1].Name, entry.Item1) > 0; j--) sorted[j] = sorted[j - 1];
                sorted[j] = entry;
            }
            var sb = t_key ??= new StringBuilder();
            sb.Clear();
            for (int i = 0; i < tags.Length; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append(sorted[i].Name).Append("=\"").Append(Escape(Convert.ToString(sorted[i].Value, CultureInfo.InvariantCulture) ?? "")).Append('"');
            }
            Array.Clear(sorted, 0, tags.Length); // do not keep tag values alive
            return sb.ToString();
        }

        public void Write(StringBuilder sb)
        {
            if (_series.IsEmpty) return;
            var type = _kind switch { Kind.Counter => "counter", Kind.Histogram => "histogram", _ => "gauge" };
            var name = _kind == Kind.Counter ? Name + "_total" : Name;
            sb.Append("# HELP ").Append(name).Append(' ').Append(_help.Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
            sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, s) in _series.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                lock (s)
                {
                    if (_kind != Kind.Histogram)
                    {
                        sb.Append(name).Append(Braces(labels)).Append(' ').Append(Number(s.Value)).Append('\n');
                        continue;
                    }
                    long cumulative = 0;
                    for (int b = 0; b <= _bounds.Length; b++)
                    {
                        cumulative += b < _bounds.Length ? s.Buckets[b] : 0;
                        var le = b < _bounds.Length ? Number(_bounds[b]) : "+Inf";
                        var withLe = labels.Length == 0 ? $"le=\"{le}\"" : $"{labels},le=\"{le}\"";
                        sb.Append(Name).Append("_bucket{").Append(withLe).Append("} ").Append(b < _bounds.Length ? cumulative : s.Count).Append('\n');
                    }
                    sb.Append(Name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Number(s.Value)).Append('\n');
                    sb.Append(Name).Append("_count").Append(Braces(labels)).Append(' ').Append(s.Count).Append('\n');
                }
            }
        }

        private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";
    }

    private sealed class Series(int buckets)
    {
        public double Value;
        public long Count;
        public readonly long[] Buckets = new long[buckets];
    }
}
