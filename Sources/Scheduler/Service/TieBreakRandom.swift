/// The scheduler's source of randomness for breaking score ties (upstream `selectHost` reservoir sampling):
/// SplitMix64 seeded once from the system generator. `SystemRandomNumberGenerator` costs a `getrandom`
/// system call per number, and a cycle over hundreds of equally scored nodes draws one per tie.
///
/// Value type; owned by one scheduling loop, not shared.
struct TieBreakRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    init() {
        var system = SystemRandomNumberGenerator()
        self.init(seed: system.next())
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
