import Kubelet
import Testing

/// Upstream expansion.Expand / MappingFuncFor cases (third_party/forked/golang/expansion tests).
@Suite struct VariableExpansionTests {
    static let context = ["VAR_A": "A", "VAR_B": "B", "VAR_C": "C", "VAR_REF": "$(VAR_A)", "VAR_EMPTY": ""]

    @Test(arguments: [
        ("$(VAR_A)", "A"),
        ("___$(VAR_B)___", "___B___"),
        ("$(VAR_A)-$(VAR_A)", "A-A"),
        ("$(VAR_A)$(VAR_B)$(VAR_C)", "ABC"),
        ("f000-$$VAR_A", "f000-$VAR_A"),
        ("foo\\$(VAR_C)bar", "foo\\Cbar"),
        ("$$(VAR_B)_$(VAR_A)", "$(VAR_B)_A"),
        ("$(VAR_EMPTY)", ""),
        ("$(UNKNOWN)", "$(UNKNOWN)"),
        ("$(VAR_REF)", "$(VAR_A)"),
        ("$(VAR_A", "$(VAR_A"),
        ("$(", "$("),
        ("$", "$"),
        ("$$", "$"),
        ("$VAR_A", "$VAR_A"),
        ("$()", "$()"),
        ("héllo $(VAR_A) wörld", "héllo A wörld"),
        ("$(VAR_A)$", "A$"),
    ])
    func expand(_ input: String, _ expected: String) {
        #expect(VariableExpansion.expand(input, mapping: VariableExpansion.mapping(Self.context)) == expected)
    }

    @Test func earlierContextWins() {
        let mapping = VariableExpansion.mapping(["X": "container"], ["X": "service", "Y": "service"])
        #expect(VariableExpansion.expand("$(X) $(Y)", mapping: mapping) == "container service")
    }
}
