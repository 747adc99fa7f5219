import SyncProtocol
import Testing

/// RFC 8785 number serialisation (ECMAScript `Number.prototype.toString`), which IDEM-2's
/// fingerprint relies on for every number that is not an int64 integer.
@Suite struct CanonicalJSONNumberTests {
    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-1.5, "-1.5"), (0.1, "0.1"), (4.5, "4.5"),
        (333333333.3333333, "333333333.3333333"), (1e20, "100000000000000000000"),
        (1.2345678901234568e20, "123456789012345680000"), (12345678901234567890.0, "12345678901234567000"),
        (9007199254740992.0, "9007199254740992"), (9.223372036854776e18, "9223372036854776000"),
        (1e21, "1e+21"), (1e23, "1e+23"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (0.000001, "0.000001"), (1e-5, "0.00001"), (1.2345e-5, "0.000012345"), (1e-7, "1e-7"),
        (1.5e-9, "1.5e-9"), (5e-324, "5e-324"), (-1e-7, "-1e-7"), (123.456, "123.456"),
    ] as [(Double, String)])
    func ecmascriptFormatting(value: Double, expected: String) {
        #expect(CanonicalJSON.format(value) == expected)
    }

    @Test func nonFiniteValuesAreNull() {
        #expect(CanonicalJSON.format(.infinity) == "null")
        #expect(CanonicalJSON.format(.nan) == "null")
    }
}
