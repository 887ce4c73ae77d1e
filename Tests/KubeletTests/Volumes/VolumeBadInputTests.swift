import Foundation
import KubeAPI
import KubeCore
import Kubelet
import Testing

/// Volumes a pod cannot get: every failing volume is reported (one upstream `FailedMount` message each),
/// the others are set up anyway, and a missing `Directory` hostPath is not created.
@Suite struct VolumeBadInputTests {
    @Test func everyFailingVolumeOfAPassIsReportedInVolumeOrder() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missingHostPath = directory.path + "/absent"
        let manager = PodVolumeManager(kubeletDirectory: directory.path + "/kubelet", objects: FakePodObjectSource())
        let pod = makePod(volumes: [
            Volume(name: "config", configMap: ConfigMapVolumeSource(name: "late-settings")),
            Volume(name: "scratch", emptyDir: EmptyDirVolumeSource()),
            Volume(name: "creds", secret: SecretVolumeSource(secretName: "late-creds")),
            Volume(name: "host", hostPath: HostPathVolumeSource(path: missingHostPath, type: "Directory")),
        ])

        let error = await #expect(throws: VolumeError.self) { try await manager.setUp(pod: pod) }

        #expect(error?.allFailures.map(\.description) == [
            #"MountVolume.SetUp failed for volume "config" : configmap "late-settings" not found"#,
            #"MountVolume.SetUp failed for volume "creds" : secret "late-creds" not found"#,
            "MountVolume.SetUp failed for volume \"host\" : hostPath type check failed: \(missingHostPath) is not a directory",
        ])
        #expect(error?.description == #"MountVolume.SetUp failed for volume "config" : configmap "late-settings" not found"#)
        #expect(!VolumeTestFiles.exists(missingHostPath))
        let scratch = manager.volumeDirectory(podUID: pod.metadata.uid, kind: .emptyDir, name: "scratch")
        #expect(VolumeTestFiles.exists(scratch))
    }
}
