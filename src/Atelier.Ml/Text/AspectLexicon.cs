namespace Atelier.Ml.Text;

/// <summary>Hand-written cue words of the review aspect extractor (women's clothing reviews).</summary>
internal static class AspectLexicon
{
    public static readonly HashSet<string> Negators = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "isn't", "wasn't", "aren't", "weren't", "doesn't", "don't", "didn't", "won't",
        "wouldn't", "hardly", "nor", "without",
    };

    public static readonly HashSet<string> SmallWords = new(StringComparer.Ordinal) { "small", "smaller", "tight", "tighter", "snug", "snugger", "petite" };
    public static readonly HashSet<string> LargeWords = new(StringComparer.Ordinal)
        { "large", "larger", "big", "bigger", "huge", "roomy", "baggy", "loose", "looser", "oversized", "enormous" };
    public static readonly HashSet<string> RunVerbs = new(StringComparer.Ordinal)
        { "run", "runs", "ran", "running", "fit", "fits", "fitted" };
    /// <summary>Words before "small"/"large" that make it a size name ("ordered the small").</summary>
    public static readonly HashSet<string> SizeNameCues = new(StringComparer.Ordinal)
    {
        "the", "a", "an", "my", "size", "in", "usual", "normal", "regular", "ordered", "bought", "got", "get", "petite",
        "extra", "x", "xx", "this", "and", "or", "medium", "med", "xs", "s", "m", "l", "xl", "usually", "typically",
    };
    /// <summary>Nouns after "small"/"big" that describe the body, not the garment ("small chest").</summary>
    public static readonly HashSet<string> BodyNouns = new(StringComparer.Ordinal)
    {
        "chest", "chested", "bust", "busted", "waist", "frame", "hips", "shoulders", "arms", "head", "feet", "boobs",
        "breasts", "girl", "girls", "person", "woman", "women", "build", "bones", "boned", "cup", "fan", "difference",
        "deal", "hit", "thumbs", "pockets", "pocket", "flowers", "print", "buttons", "holes", "hole", "slit",
    };

    /// <summary>Garment parts: a size word right after one is local ("arm holes too tight"), not overall.</summary>
    public static readonly HashSet<string> PartNouns = new(StringComparer.Ordinal)
    {
        "sleeve", "sleeves", "arm", "arms", "armholes", "holes", "neck", "neckline", "opening", "waist", "waistband",
        "band", "hip", "hips", "bust", "chest", "shoulders", "shoulder", "straps", "strap", "legs", "leg", "cuffs",
        "collar", "head", "ankle", "ankles", "calves", "thighs", "cups",
    };

    public static readonly Dictionary<string, Aspect> AspectWords = Build();

    private static Dictionary<string, Aspect> Build()
    {
        var d = new Dictionary<string, Aspect>(StringComparer.Ordinal);
        void Add(Aspect a, string words)
        {
            foreach (var w in words.Split(' ')) d[w] = a;
        }
        Add(Aspect.Quality, "quality construction constructed stitching seams seam durable flimsy sturdy made holes hole pilling piling pilled shrunk shrink shrinks shrinking unraveled unraveling snag snags snagged cheaply cheap");
        Add(Aspect.Fabric, "fabric fabrics material materials cotton linen silk wool knit polyester rayon cashmere denim lining lined itchy scratchy sheer thin thick stretchy stretch texture soft");
        Add(Aspect.Colour, "color colors colour colours shade shades hue coloring faded vibrant");
        Add(Aspect.Comfort, "comfortable comfy comfort uncomfortable cozy cosy");
        Add(Aspect.Price, "price priced prices expensive overpriced pricey worth value money cost sale bargain steal deal");
        return d;
    }

    /// <summary>Aspect-specific polarity of cue words, used before the general sentiment of the sentence.</summary>
    public static readonly Dictionary<string, int> CuePolarity = new(StringComparer.Ordinal)
    {
        ["flimsy"] = -1, ["cheaply"] = -1, ["cheap"] = -1, ["holes"] = -1, ["hole"] = -1, ["pilling"] = -1, ["piling"] = -1,
        ["pilled"] = -1, ["shrunk"] = -1, ["shrink"] = -1, ["shrinks"] = -1, ["shrinking"] = -1, ["unraveled"] = -1,
        ["unraveling"] = -1, ["snag"] = -1, ["snags"] = -1, ["snagged"] = -1, ["itchy"] = -1, ["scratchy"] = -1,
        ["see-through"] = -1, ["sheer"] = -1, ["faded"] = -1, ["uncomfortable"] = -1, ["overpriced"] = -1, ["pricey"] = -1,
        ["expensive"] = -1, ["sturdy"] = 1, ["durable"] = 1, ["soft"] = 1, ["vibrant"] = 1, ["comfortable"] = 1,
        ["comfy"] = 1, ["cozy"] = 1, ["cosy"] = 1, ["bargain"] = 1, ["steal"] = 1, ["worth"] = 1,
    };
}
