import KubeCore
import Testing

@Suite struct NameValidationTests {
    static let nameRegexMessage =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"

    @Test(arguments: [
        "simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple",
        "now-with-dashes/now-with-dashes", "now.with.dots/simple", "now-with.dashes-and.dots/simple",
        "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123",
        "requests.storage-foo", String(repeating: "a", count: 63), String(repeating: "a", count: 253) + "/" + String(repeating: "b", count: 63),
    ])
    func acceptsQualifiedNames(name: String) {
        #expect(NameValidation.qualifiedNameErrors(name).isEmpty)
    }

    @Test(arguments: [
        "nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash", "Example.com/abc",
        "example_com/abc", "example.com/", "/simple", String(repeating: "a", count: 64), String(repeating: "a", count: 254) + "/abc",
    ])
    func rejectsQualifiedNames(name: String) {
        #expect(!NameValidation.qualifiedNameErrors(name).isEmpty)
    }

    @Test func qualifiedNameMessages() {
        #expect(NameValidation.qualifiedNameErrors("a b") == [Self.nameRegexMessage])
        #expect(NameValidation.qualifiedNameErrors("") == ["name part must be non-empty", Self.nameRegexMessage])
        #expect(NameValidation.qualifiedNameErrors(String(repeating: "a", count: 64)) == ["name part must be no more than 63 characters"])
        #expect(NameValidation.qualifiedNameErrors("/a") == ["prefix part must be non-empty"])
        #expect(
            NameValidation.qualifiedNameErrors("Bad_Prefix/a") == [
                "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
            ]
        )
        #expect(NameValidation.qualifiedNameErrors("a/b/c").first?.hasPrefix("a qualified name must consist of") == true)
        #expect(NameValidation.qualifiedNameErrors("a/b/c").first?.hasSuffix("with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')") == true)
    }

    @Test(arguments: ["", "simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", "Uppercase_Is_OK_123", String(repeating: "a", count: 63)])
    func acceptsLabelValues(value: String) {
        #expect(NameValidation.labelValueErrors(value).isEmpty)
    }

    @Test(arguments: ["nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad", "-starts-with-dash", "ends-with-dash-", ".starts.with.dot", "ends.with.dot.", String(repeating: "a", count: 64)])
    func rejectsLabelValues(value: String) {
        #expect(!NameValidation.labelValueErrors(value).isEmpty)
    }

    @Test func labelValueMessages() {
        #expect(
            NameValidation.labelValueErrors("-") == [
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
            ]
        )
        #expect(NameValidation.labelValueErrors(String(repeating: "a", count: 64)) == ["must be no more than 63 characters"])
    }

    @Test func dns1123() {
        #expect(NameValidation.dns1123SubdomainErrors("a.b-c.d").isEmpty)
        #expect(!NameValidation.dns1123SubdomainErrors("a..b").isEmpty)
        #expect(!NameValidation.dns1123SubdomainErrors("A").isEmpty)
        #expect(!NameValidation.dns1123SubdomainErrors("").isEmpty)
        #expect(NameValidation.dns1123SubdomainErrors(String(repeating: "a", count: 254)) == ["must be no more than 253 characters"])
        #expect(NameValidation.dns1123LabelErrors("kube-system").isEmpty)
        #expect(!NameValidation.dns1123LabelErrors("a.b").isEmpty)
        #expect(!NameValidation.dns1123LabelErrors("-a").isEmpty)
    }
}
