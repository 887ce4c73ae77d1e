import Foundation
import KubeAPI
import KubeCore
import Kubelet
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// hostPath type checks (upstream texts) and emptyDir directories, including the root-only tmpfs medium.
@Suite struct HostPathAndEmptyDirVolumeTests {
    struct TypeCase: Sendable, CustomTestStringConvertible {
        var type: String
        var entry: String  // "dir", "file", "missing", "/dev/null"
        var expectedError: String?  // with PATH for the path
        var testDescription: String { "\(type.isEmpty ? "\"\"" : type) on \(entry)" }
    }

    static let typeCases: [TypeCase] = [
        TypeCase(type: "", entry: "missing", expectedError: nil),
        TypeCase(type: "Directory", entry: "dir", expectedError: nil),
        TypeCase(type: "Directory", entry: "file", expectedError: "hostPath type check failed: PATH is not a directory"),
        TypeCase(type: "Directory", entry: "missing", expectedError: "hostPath type check failed: PATH is not a directory"),
        TypeCase(type: "DirectoryOrCreate", entry: "missing", expectedError: nil),
        TypeCase(type: "DirectoryOrCreate", entry: "file", expectedError: "hostPath type check failed: PATH is not a directory"),
        TypeCase(type: "File", entry: "file", expectedError: nil),
        TypeCase(type: "File", entry: "dir", expectedError: "hostPath type check failed: PATH is not a file"),
        TypeCase(type: "FileOrCreate", entry: "missing", expectedError: nil),
        TypeCase(type: "Socket", entry: "file", expectedError: "hostPath type check failed: PATH is not a socket file"),
        TypeCase(type: "CharDevice", entry: "/dev/null", expectedError: nil),
        TypeCase(type: "CharDevice", entry: "file", expectedError: "hostPath type check failed: PATH is not a character device"),
        TypeCase(type: "BlockDevice", entry: "/dev/null", expectedError: "hostPath type check failed: PATH is not a block device"),
        TypeCase(type: "Symlink", entry: "dir", expectedError: "Symlink is an invalid volume type"),
    ]

    @Test(arguments: typeCases) func hostPathTypeCheck(_ testCase: TypeCase) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var path = directory.path + "/host/entry"
        try FileManager.default.createDirectory(atPath: directory.path + "/host", withIntermediateDirectories: true)
        switch testCase.entry {
        case "dir": try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        case "file": try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        case "missing": break
        default: path = testCase.entry
        }
        let manager = PodVolumeManager(kubeletDirectory: directory.path + "/kubelet", objects: FakePodObjectSource())
        let pod = makePod(volumes: [Volume(name: "host", hostPath: HostPathVolumeSource(path: path, type: testCase.type))])

        if let expected = testCase.expectedError {
            let error = await #expect(throws: VolumeError.self) { try await manager.setUp(pod: pod) }
            #expect(error?.description == "MountVolume.SetUp failed for volume \"host\" : "
                + expected.replacingOccurrences(of: "PATH", with: path))
        } else {
            let volume = try #require(try await manager.setUp(pod: pod)["host"])
            #expect(volume.hostPath == path)
            #expect(!volume.readOnly)
            if testCase.type == "DirectoryOrCreate" || (testCase.type.isEmpty && testCase.entry == "missing") {
                #expect(VolumeTestFiles.mode(path) == 0o755)
            }
            if testCase.type == "FileOrCreate" {
                #expect(VolumeTestFiles.text(path) == "")
            }
        }
    }

    @Test func uncreatableHostPathReportsTheFileSystemError() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.path + "/plain-file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let manager = PodVolumeManager(kubeletDirectory: directory.path + "/kubelet", objects: FakePodObjectSource())
        let pod = makePod(volumes: [Volume(name: "host", hostPath: HostPathVolumeSource(
            path: file + "/sub", type: "DirectoryOrCreate"))])

        let error = await #expect(throws: VolumeError.self) { try await manager.setUp(pod: pod) }

        #expect(error?.description == "MountVolume.SetUp failed for volume \"host\" : mkdir \(file): not a directory")
    }

    @Test func emptyDirIsAWorldWritableDirectoryKeptAcrossSetUps() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: FakePodObjectSource())
        let pod = makePod(volumes: [Volume(name: "scratch", emptyDir: EmptyDirVolumeSource())])

        let volume = try #require(try await manager.setUp(pod: pod)["scratch"])
        try Data("kept".utf8).write(to: URL(fileURLWithPath: volume.hostPath + "/state"))
        let again = try #require(try await manager.setUp(pod: pod)["scratch"])

        #expect(volume.hostPath.hasSuffix("/pods/\(pod.metadata.uid)/volumes/kubernetes.io~empty-dir/scratch"))
        #expect(VolumeTestFiles.mode(volume.hostPath) == 0o777)
        #expect(!volume.memoryBacked)
        #expect(again == volume)
        #expect(VolumeTestFiles.text(again.hostPath + "/state") == "kept")
    }

    @Test func unknownMediumIsRejected() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: FakePodObjectSource())
        let pod = makePod(volumes: [Volume(name: "scratch", emptyDir: EmptyDirVolumeSource(medium: "Floppy"))])

        let error = await #expect(throws: VolumeError.self) { try await manager.setUp(pod: pod) }

        #expect(error?.description == #"MountVolume.SetUp failed for volume "scratch" : unknown storage medium "Floppy""#)
    }

    @Test(.enabled(if: VolumeTestFiles.isRoot, "mounting tmpfs needs root"))
    func memoryEmptyDirIsASizedTmpfsUnmountedOnTearDown() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: FakePodObjectSource())
        let pod = makePod(volumes: [Volume(name: "cache", emptyDir: EmptyDirVolumeSource(medium: "Memory", sizeLimit: Quantity("16Mi")!))])
        var mounted: String?
        defer { if let mounted, VolumeTestFiles.isMounted(mounted) { _ = umount2(mounted, 2) } }

        let volume = try #require(try await manager.setUp(pod: pod)["cache"])
        mounted = volume.hostPath

        #expect(volume.memoryBacked)
        #expect(VolumeTestFiles.isMounted(volume.hostPath))
        var info = statvfs()
        #expect(statvfs(volume.hostPath, &info) == 0)
        let blocks = Int64(info.f_blocks)
        let blockSize = Int64(info.f_frsize)
        #expect(blocks * blockSize == 16 * 1024 * 1024)
        _ = try await manager.setUp(pod: pod)
        let mountCount = VolumeTestFiles.mountInfoLines().filter { $0.split(separator: " ")[4] == volume.hostPath }.count
        #expect(mountCount == 1)

        try await manager.tearDown(podUID: pod.metadata.uid)

        #expect(!VolumeTestFiles.isMounted(volume.hostPath))
        #expect(!VolumeTestFiles.exists(volume.hostPath))
    }

    @Test(.enabled(if: VolumeTestFiles.isRoot, "mounting tmpfs needs root"))
    func memoryBackedSecretsLiveOnTmpfs() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let objects = FakePodObjectSource()
        objects.putSecret("default", "creds", ["password": "s3cret"])
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: objects,
                                       nodeAllocatable: ["memory": Quantity("1Gi")!], memoryBackedSecrets: true)
        let pod = makePod(volumes: [Volume(name: "s", secret: SecretVolumeSource(secretName: "creds"))])
        var mounted: String?
        defer { if let mounted, VolumeTestFiles.isMounted(mounted) { _ = umount2(mounted, 2) } }

        let volume = try #require(try await manager.setUp(pod: pod)["s"])
        mounted = volume.hostPath

        #expect(volume.memoryBacked)
        #expect(VolumeTestFiles.isMounted(volume.hostPath))
        #expect(VolumeTestFiles.mode(volume.hostPath) == 0o755)
        #expect(VolumeTestFiles.text(volume.hostPath + "/password") == "s3cret")
        try await manager.tearDown(podUID: pod.metadata.uid)
        #expect(!VolumeTestFiles.isMounted(volume.hostPath))
        #expect(!VolumeTestFiles.exists(manager.podDirectory(podUID: pod.metadata.uid)))
    }

    @Test(.enabled(if: VolumeTestFiles.isRoot, "changing a file's group needs root"))
    func fsGroupOwnsVolumeFiles() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let objects = FakePodObjectSource()
        objects.putSecret("default", "creds", ["password": "s3cret"])
        objects.putConfigMap("default", "kube-root-ca.crt", ["ca.crt": "CA"])
        let manager = PodVolumeManager(kubeletDirectory: directory.path, objects: objects)
        var pod = makePod(volumes: [
            Volume(name: "s", secret: SecretVolumeSource(secretName: "creds", defaultMode: 0o400)),
            Volume(name: "scratch", emptyDir: EmptyDirVolumeSource()),
            ConfigurationVolumeTests.kubeAPIAccessVolume(name: "kube-api-access-q1w2e"),
        ])
        pod.spec.securityContext = PodSecurityContext(fsGroup: 2000)

        let volumes = try await manager.setUp(pod: pod)

        let secret = try #require(volumes["s"]).hostPath + "/password"
        #expect(VolumeTestFiles.mode(secret) == 0o440)
        #expect(VolumeTestFiles.group(secret) == 2000)
        let token = try #require(volumes["kube-api-access-q1w2e"]).hostPath + "/token"
        #expect(VolumeTestFiles.mode(token) == 0o640)
        #expect(VolumeTestFiles.group(token) == 2000)
        let scratch = try #require(volumes["scratch"]).hostPath
        #expect(VolumeTestFiles.mode(scratch) == 0o2777)
        #expect(VolumeTestFiles.group(scratch) == 2000)
        #expect(try await manager.refresh(pod: pod) == [])
    }
}
