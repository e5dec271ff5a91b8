using System.Runtime.InteropServices;

namespace Atelier.Ml.Sparse;

/// <summary>Little-endian array IO for model persistence (bit-exact round trips).</summary>
public static class Binary
{
    public static void WriteArray<T>(BinaryWriter w, T[] a) where T : unmanaged
    {
        w.Write(a.Length);
        w.Write(MemoryMarshal.AsBytes(a.AsSpan()));
    }

    public static T[] ReadArray<T>(BinaryReader r) where T : unmanaged
    {
        int n = r.ReadInt32();
        var a = new T[n];
        var bytes = MemoryMarshal.AsBytes(a.AsSpan());
        r.BaseStream.ReadExactly(bytes);
        return a;
    }

    public static int[] ReadInts(BinaryReader r) => ReadArray<int>(r);
    public static float[] ReadFloats(BinaryReader r) => ReadArray<float>(r);
}
