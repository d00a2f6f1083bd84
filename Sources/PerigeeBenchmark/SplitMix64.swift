/// A small deterministic generator (SplitMix64): the same seed gives the same dataset everywhere.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: UInt64) -> UInt64 { bound == 0 ? 0 : next() % bound }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(next(below: UInt64(items.count)))] }

    /// A key drawn with the given weights.
    mutating func weighted(_ weights: [Int: Int]) -> Int {
        let keys = weights.keys.sorted()
        var roll = Int(next(below: UInt64(weights.values.reduce(0, +))))
        for key in keys {
            roll -= weights[key]!
            if roll < 0 { return key }
        }
        return keys.last!
    }
}
