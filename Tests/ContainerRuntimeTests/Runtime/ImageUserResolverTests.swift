import ContainerRuntime
import Foundation
import Testing

@Suite struct ImageUserResolverTests {
    static let passwd = """
        root:x:0:0:root:/root:/bin/sh
        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
        www:x:33:33:www-data:/var/www:/usr/sbin/nologin
        app:x:1000:1000::/home/app:/bin/sh

        """
    static let group = """
        root:x:0:
        daemon:x:1:
        www:x:33:app
        staff:x:50:app,www
        app:x:1000:

        """

    struct Case: Sendable, CustomTestStringConvertible {
        let user: String
        let expected: ContainerUser
        var testDescription: String { "\"\(user)\"" }
    }

    @Test(arguments: [
        Case(user: "", expected: ContainerUser(uid: 0, gid: 0)),
        Case(user: "0", expected: ContainerUser(uid: 0, gid: 0)),
        Case(user: "33", expected: ContainerUser(uid: 33, gid: 33)),
        Case(user: "4242", expected: ContainerUser(uid: 4242, gid: 0)),
        Case(user: "4242:77", expected: ContainerUser(uid: 4242, gid: 77)),
        Case(user: "www", expected: ContainerUser(uid: 33, gid: 33, additionalGids: [50])),
        Case(user: "app", expected: ContainerUser(uid: 1000, gid: 1000, additionalGids: [33, 50])),
        Case(user: "app:staff", expected: ContainerUser(uid: 1000, gid: 50)),
        Case(user: "app:7", expected: ContainerUser(uid: 1000, gid: 7)),
        Case(user: "1000:www", expected: ContainerUser(uid: 1000, gid: 33)),
    ])
    func resolves(_ testCase: Case) throws {
        #expect(try ImageUserResolver.resolve(testCase.user, passwd: Self.passwd, group: Self.group) == testCase.expected)
    }

    @Test func unknownNamesAreErrors() {
        #expect(throws: ImageUserError.unknownUser("nobody")) {
            try ImageUserResolver.resolve("nobody", passwd: Self.passwd, group: Self.group)
        }
        #expect(throws: ImageUserError.unknownGroup("wheel")) {
            try ImageUserResolver.resolve("app:wheel", passwd: Self.passwd, group: Self.group)
        }
        #expect(ImageUserError.unknownUser("nobody").description
            == "unable to find user nobody: no matching entries in passwd file")
    }

    @Test func readsTheRootfsFilesNotTheHosts() throws {
        let rootfs = FileManager.default.temporaryDirectory.appendingPathComponent("rootfs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: rootfs) }
        try FileManager.default.createDirectory(atPath: rootfs + "/etc", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: rootfs + "/usr/share", withIntermediateDirectories: true)
        try "svc:x:4321:99::/:/bin/sh\n".write(toFile: rootfs + "/usr/share/passwd", atomically: true, encoding: .utf8)
        // An absolute symlink must resolve inside the rootfs.
        try FileManager.default.createSymbolicLink(atPath: rootfs + "/etc/passwd", withDestinationPath: "/usr/share/passwd")
        try "svcgroup:x:99:svc\nextra:x:7:svc\n".write(toFile: rootfs + "/etc/group", atomically: true, encoding: .utf8)
        #expect(try ImageUserResolver.resolve("svc", rootfs: rootfs) == ContainerUser(uid: 4321, gid: 99, additionalGids: [7]))
        #expect(throws: ImageUserError.unknownUser("root")) { try ImageUserResolver.resolve("root", rootfs: rootfs) }
        #expect(try ImageUserResolver.resolve("5:6", rootfs: rootfs + "/missing") == ContainerUser(uid: 5, gid: 6))
    }
}
