/// Minimal arbitrary-precision unsigned integer (little-endian 32-bit limbs) used only to parse
/// quantities exactly before rounding. Value type.
struct BigUnsignedInteger: Equatable {
    /// Little-endian limbs without trailing zero limbs (zero is `[]`).
    private(set) var limbs: [UInt32] = []

    init() {}

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        trim()
    }

    /// Builds from ASCII decimal digits.
    init<Digits: Collection<UInt8>>(decimalDigits digits: Digits) {
        var chunk: UInt32 = 0
        var chunkLength = 0
        for digit in digits {
            chunk = chunk * 10 + UInt32(digit - UInt8(ascii: "0"))
            chunkLength += 1
            if chunkLength == 9 {
                multiply(by: 1_000_000_000, adding: chunk)
                chunk = 0
                chunkLength = 0
            }
        }
        if chunkLength > 0 {
            var power: UInt32 = 1
            for _ in 0..<chunkLength { power *= 10 }
            multiply(by: power, adding: chunk)
        }
    }

    var isZero: Bool { limbs.isEmpty }

    /// An upper bound on the number of decimal digits.
    var decimalDigitUpperBound: Int { limbs.count * 10 }

    mutating func multiply(by factor: UInt32, adding addend: UInt32 = 0) {
        var carry = UInt64(addend)
        for index in limbs.indices {
            let product = UInt64(limbs[index]) * UInt64(factor) + carry
            limbs[index] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
        trim()
    }

    mutating func multiplyByPowerOfTwo(_ exponent: Int) {
        var remaining = exponent
        while remaining > 0 {
            let step = min(remaining, 31)
            multiply(by: UInt32(1) << UInt32(step))
            remaining -= step
        }
    }

    mutating func multiplyByPowerOfTen(_ exponent: Int) {
        var remaining = exponent
        while remaining > 0 {
            let step = min(remaining, 9)
            var power: UInt32 = 1
            for _ in 0..<step { power *= 10 }
            multiply(by: power)
            remaining -= step
        }
    }

    /// Divides in place and returns the remainder.
    @discardableResult
    mutating func divide(by divisor: UInt32) -> UInt32 {
        var remainder: UInt64 = 0
        for index in limbs.indices.reversed() {
            let current = (remainder << 32) | UInt64(limbs[index])
            limbs[index] = UInt32(current / UInt64(divisor))
            remainder = current % UInt64(divisor)
        }
        trim()
        return UInt32(remainder)
    }

    /// Divides by 10^exponent, rounding any non-zero remainder up (away from zero).
    mutating func divideByPowerOfTenRoundingUp(_ exponent: Int) {
        guard !isZero, exponent > 0 else { return }
        if exponent > decimalDigitUpperBound + 1 {
            self = BigUnsignedInteger(1)
            return
        }
        var inexact = false
        var remaining = exponent
        while remaining > 0 {
            let step = min(remaining, 9)
            var power: UInt32 = 1
            for _ in 0..<step { power *= 10 }
            if divide(by: power) != 0 { inexact = true }
            remaining -= step
        }
        if inexact { multiply(by: 1, adding: 1) }
    }

    static func < (lhs: BigUnsignedInteger, rhs: BigUnsignedInteger) -> Bool {
        if lhs.limbs.count != rhs.limbs.count { return lhs.limbs.count < rhs.limbs.count }
        for index in lhs.limbs.indices.reversed() where lhs.limbs[index] != rhs.limbs[index] {
            return lhs.limbs[index] < rhs.limbs[index]
        }
        return false
    }

    /// The value as `UInt128`, or nil when it does not fit.
    var uint128: UInt128? {
        guard limbs.count <= 4 else { return nil }
        var result: UInt128 = 0
        for limb in limbs.reversed() {
            result = (result << 32) | UInt128(limb)
        }
        return result
    }

    private mutating func trim() {
        while limbs.last == 0 { limbs.removeLast() }
    }
}
