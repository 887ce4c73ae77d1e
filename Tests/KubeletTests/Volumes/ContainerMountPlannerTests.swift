import ContainerRuntime
import Foundation
import KubeAPI
import KubeCore
import Kubelet
import Testing

/// volumeMounts -> bind mounts: read-only rules, subPath / subPathExpr, escapes rejected, propagation.
@Suite struct ContainerMountPlannerTests {
    let directory: TemporaryDirectory
    let volumes: PodVolumes

    init() throws {
        directory = try TemporaryDirectory()
        let data = directory.path + "/data"
        let config = directory.path + "/config"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        try Data("k".utf8).write(to: URL(fileURLWithPath: config + "/key"))
        try FileManager.default.createSymbolicLink(atPath: data + "/escape", withDestinationPath: "/etc")
        volumes = PodVolumes(podUID: "uid", volumes: [
            "data": MountedVolume(name: "data", kind: .emptyDir, hostPath: data, readOnly: false),
            "config": MountedVolume(name: "config", kind: .configMap, hostPath: config, readOnly: true),
        ])
    }

    private func container(_ mounts: [VolumeMount], privileged: Bool = false) -> Container {
        var container = Container(name: "app", image: "busybox", volumeMounts: mounts)
        if privileged { container.securityContext = SecurityContext(privileged: true) }
        return container
    }

    @Test func mountsBindVolumesWithReadOnlyFromMountOrVolume() throws {
        defer { directory.remove() }
        let mounts = try ContainerMountPlanner.mounts(for: container([
            VolumeMount(name: "data", mountPath: "/data"),
            VolumeMount(name: "data", readOnly: true, mountPath: "/data-ro"),
            VolumeMount(name: "config", mountPath: "/etc/config"),
        ]), volumes: volumes)

        #expect(mounts == [
            ContainerMount(destination: "/data", source: directory.path + "/data", type: "bind", options: ["rbind", "rw", "rprivate"]),
            ContainerMount(destination: "/data-ro", source: directory.path + "/data", type: "bind", options: ["rbind", "ro", "rprivate"]),
            ContainerMount(destination: "/etc/config", source: directory.path + "/config", type: "bind", options: ["rbind", "ro", "rprivate"]),
        ])
    }

    @Test func subPathIsCreatedInsideTheVolume() throws {
        defer { directory.remove() }
        let mounts = try ContainerMountPlanner.mounts(for: container([
            VolumeMount(name: "data", mountPath: "/var/log/app", subPath: "logs/app"),
            VolumeMount(name: "config", mountPath: "/etc/key", subPath: "key"),
        ]), volumes: volumes)

        let realRoot = try #require(realpath(directory.path, nil).map { String(cString: $0) })
        #expect(mounts.map(\.source) == [realRoot + "/data/logs/app", realRoot + "/config/key"])
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: directory.path + "/data/logs/app", isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
        #expect(VolumeTestFiles.mode(directory.path + "/data/logs/app") == VolumeTestFiles.mode(directory.path + "/data"))
    }

    @Test func subPathExprExpandsFromTheEnvironment() throws {
        defer { directory.remove() }
        let environment = [EnvironmentVariable(name: "POD_NAME", value: "web-0")]
        let mounts = try ContainerMountPlanner.mounts(
            for: container([VolumeMount(name: "data", mountPath: "/out", subPathExpr: "pods/$(POD_NAME)")]),
            volumes: volumes, environment: environment)
        #expect(mounts.first?.source.hasSuffix("/data/pods/web-0") == true)

        #expect(throws: ContainerMountError.missingSubPathVariables(["NODE", "ZONE"])) {
            try ContainerMountPlanner.mounts(
                for: container([VolumeMount(name: "data", mountPath: "/out", subPathExpr: "$(ZONE)/$(NODE)/$(POD_NAME)")]),
                volumes: volumes, environment: environment)
        }
    }

    struct RejectedCase: Sendable, CustomTestStringConvertible {
        var mount: VolumeMount
        var privileged = false
        var expected: String
        var testDescription: String { expected }
    }

    static let rejected: [RejectedCase] = [
        RejectedCase(mount: VolumeMount(name: "data", mountPath: "/x", subPath: "../../etc"),
                     expected: "unable to provision SubPath `../../etc`: must not contain '..'"),
        RejectedCase(mount: VolumeMount(name: "data", mountPath: "/x", subPath: "a/../../b"),
                     expected: "unable to provision SubPath `a/../../b`: must not contain '..'"),
        RejectedCase(mount: VolumeMount(name: "data", mountPath: "/x", subPath: "/etc"),
                     expected: "error SubPath `/etc` must not be an absolute path"),
        RejectedCase(mount: VolumeMount(name: "data", mountPath: "/x", subPathExpr: "$(ROOT)"),
                     expected: "error SubPath `/etc` must not be an absolute path"),
        RejectedCase(mount: VolumeMount(name: "ghost", mountPath: "/x"),
                     expected: #"cannot find volume "ghost" to mount into container "app""#),
        RejectedCase(mount: VolumeMount(name: "data", mountPath: "/x", mountPropagation: "Bidirectional"),
                     expected: "Bidirectional mount propagation is available only to privileged containers"),
        RejectedCase(mount: VolumeMount(name: "data", mountPath: "/x", mountPropagation: "Sideways"),
                     expected: #"invalid MountPropagation mode: "Sideways""#),
    ]

    @Test(arguments: rejected) func invalidMountsAreRejected(_ testCase: RejectedCase) throws {
        defer { directory.remove() }
        let error = #expect(throws: ContainerMountError.self) {
            try ContainerMountPlanner.mounts(for: container([testCase.mount], privileged: testCase.privileged),
                                             volumes: volumes, environment: [EnvironmentVariable(name: "ROOT", value: "/etc")])
        }
        #expect(error?.description == testCase.expected)
    }

    @Test func symlinkOutOfTheVolumeIsRejected() throws {
        defer { directory.remove() }
        let error = #expect(throws: ContainerMountError.self) {
            try ContainerMountPlanner.mounts(for: container([VolumeMount(name: "data", mountPath: "/x", subPath: "escape/passwd-dir")]),
                                             volumes: volumes)
        }
        #expect(error?.description.hasPrefix("subpath \"escape/passwd-dir\" not within volume path") == true)
        #expect(!FileManager.default.fileExists(atPath: "/etc/passwd-dir"))

        let direct = #expect(throws: ContainerMountError.self) {
            try ContainerMountPlanner.mounts(for: container([VolumeMount(name: "data", mountPath: "/x", subPath: "escape")]),
                                             volumes: volumes)
        }
        #expect(direct == .subPathOutsideVolume(subPath: "escape", volumePath: directory.path + "/data"))
    }

    @Test func propagationModesMapToOCIOptions() throws {
        defer { directory.remove() }
        let mounts = try ContainerMountPlanner.mounts(for: container([
            VolumeMount(name: "data", mountPath: "/a", mountPropagation: "None"),
            VolumeMount(name: "data", mountPath: "/b", mountPropagation: "HostToContainer"),
            VolumeMount(name: "data", mountPath: "/c", mountPropagation: "Bidirectional"),
        ], privileged: true), volumes: volumes)

        #expect(mounts.map { $0.options.last } == ["rprivate", "rslave", "rshared"])
    }

    @Test func terminationMessageFileIsAWritableBindMount() throws {
        defer { directory.remove() }
        let mount = try TerminationMessageFile.prepare(for: Container(name: "app"), podDirectory: directory.path + "/pod")

        #expect(mount.destination == "/dev/termination-log")
        #expect(mount.source.hasPrefix(directory.path + "/pod/containers/app/"))
        #expect(VolumeTestFiles.mode(mount.source) == 0o666)
        try Data("boom".utf8).write(to: URL(fileURLWithPath: mount.source))
        #expect(TerminationMessageFile.read(hostPath: mount.source) == "boom")
    }
}
