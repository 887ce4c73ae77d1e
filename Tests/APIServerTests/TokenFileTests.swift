@testable import APIServer
import Testing

/// `--token-auth-file` parsing (kube-apiserver's tokenfile CSV): users with uid and quoted group lists,
/// blank lines skipped, empty and duplicate tokens warned about, and bad lines refused with their number.
struct TokenFileTests {
    @Test func parsesUsersUIDsAndGroups() throws {
        let text = """
            t1,alice,1001,"dev,ops"

            t2, bob ,1002
            "t,3",carol,1003,solo\r
            """
        let file = try TokenFile.parse(text, path: "/etc/tokens.csv")
        #expect(file.users["t1"] == UserInfo(name: "alice", uid: "1001", groups: ["dev", "ops"]))
        #expect(file.users["t2"] == UserInfo(name: "bob ", uid: "1002"))
        #expect(file.users["t,3"] == UserInfo(name: "carol", uid: "1003", groups: ["solo"]))
        #expect(file.users.count == 3)
        #expect(file.warnings.isEmpty)
    }

    @Test func warnsAboutEmptyAndDuplicateTokens() throws {
        let file = try TokenFile.parse(",nobody,1\nt1,a,1\nt1,b,2\n", path: "f.csv")
        #expect(file.users == ["t1": UserInfo(name: "b", uid: "2")])
        #expect(file.warnings.count == 2)
        #expect(file.warnings[0].contains("line 1"))
        #expect(file.warnings[1].contains("line 3"))
    }

    @Test(arguments: [
        ("t1,a,1\nt2,b\n", "token file f.csv, line 2: must have at least 3 columns (token, user name, user uid), found 2"),
        ("t1\n", "token file f.csv, line 1: must have at least 3 columns (token, user name, user uid), found 1"),
        ("t1,a,1\n\nt\"2,b,2\n", "token file f.csv, line 3: column 2: bare \" in non-quoted field"),
        ("t1,a,1,\"dev,ops\n", "token file f.csv, line 1: extraneous or missing \" in quoted field (a quoted field must end on its line)"),
        ("\"t1\"x,a,1\n", "token file f.csv, line 1: column 5: extraneous or missing \" in quoted field"),
    ])
    func refusesBadLinesNamingThem(text: String, message: String) {
        #expect(throws: TokenFileError.self) { try TokenFile.parse(text, path: "f.csv") }
        do {
            _ = try TokenFile.parse(text, path: "f.csv")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func missingFileIsAClearError() {
        do {
            _ = try TokenFile.load(path: "/nonexistent/tokens.csv")
            Issue.record("loaded a missing file")
        } catch {
            #expect("\(error)".hasPrefix("cannot read token file /nonexistent/tokens.csv"))
        }
    }
}
