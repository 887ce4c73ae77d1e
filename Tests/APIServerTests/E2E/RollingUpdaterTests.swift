import Foundation
import KubeAPI
import KubeClient
import KubeCore
import KubeCLI
import Testing

/// `kubectl rolling-update` (KubeCLI's RollingUpdateOperation and RollingUpdater) against an in-memory API
/// with an instant replication controller, on virtual time: the scaling sequence and kubectl 1.17's lines.
@Suite struct RollingUpdaterTests {
    static func frontend(image: String = "nginx:1.24", replicas: Int32 = 2) -> ReplicationController {
        var rc = ReplicationController()
        rc.metadata.name = "frontend"
        rc.metadata.namespace = "default"
        rc.spec.replicas = replicas
        rc.spec.selector = ["app": "frontend"]
        var template = PodTemplateSpec()
        template.metadata.labels = ["app": "frontend"]
        var container = Container()
        container.name = "nginx"
        container.image = image
        template.spec.containers = [container]
        rc.spec.template = template
        return rc
    }

    static func operation(_ options: RollingUpdateOptions, cluster: RollingUpdateFakeCluster,
                          clock: any RollingUpdateClock, lines: OutputLines) -> RollingUpdateOperation {
        let client = APIClient(transport: cluster, userAgent: "test")
        let updater = RollingUpdater(client: client, namespace: "default", clock: clock) { lines.append($0) }
        return RollingUpdateOperation(options: options, updater: updater)
    }

    @Test func imageUpdateScalesOneByOneAndRenames() async throws {
        let cluster = RollingUpdateFakeCluster()
        cluster.seed(Self.frontend())
        let clock = VirtualRollingUpdateClock()
        let lines = OutputLines()
        let options = RollingUpdateOptions(oldName: "frontend", image: "nginx:1.25", updatePeriod: .seconds(1))
        try await Self.operation(options, cluster: cluster, clock: clock, lines: lines).run()

        let created = try #require(lines.all.first)
        #expect(created.hasPrefix("Created frontend-"))
        let newName = String(created.dropFirst("Created ".count))
        #expect(newName.count == "frontend-".count + 32)
        #expect(lines.all == [
            "Created \(newName)",
            "Scaling up \(newName) from 0 to 2, scaling down frontend from 2 to 0 (keep 2 pods available, don't exceed 3 pods)",
            "Scaling \(newName) up to 1",
            "Scaling frontend down to 1",
            "Scaling \(newName) up to 2",
            "Scaling frontend down to 0",
            "Update succeeded. Deleting old controller: frontend",
            "Renaming \(newName) to frontend",
            "replicationcontroller/frontend rolling updated",
        ])
        #expect(clock.slept.filter { $0 == .seconds(1) }.count == 2)
        #expect(cluster.controllerNames == ["frontend"])
        let result = try #require(cluster.controller("frontend"))
        let hash = String(newName.dropFirst("frontend-".count))
        #expect(result.spec.selector == ["app": "frontend", "deployment": hash])
        #expect(result.spec.template?.spec.containers.first?.image == "nginx:1.25")
        #expect(result.metadata.annotations[RollingUpdateAnnotations.sourceID] == nil)
        #expect(result.metadata.annotations[RollingUpdateAnnotations.desiredReplicas] == nil)
        #expect(cluster.pods.count == 2)
        #expect(cluster.pods.allSatisfy { $0.spec.containers.first?.image == "nginx:1.25" })
        // The surge limit held: the old controller went down only after the new one came up.
        let scales = cluster.writes.filter { $0.hasPrefix("scale ") }
        #expect(scales == ["scale \(newName) 1", "scale frontend 1", "scale \(newName) 2", "scale frontend 0"])
    }

    @Test func rollbackRestoresTheOriginalAfterAnInterruptedUpdate() async throws {
        let cluster = RollingUpdateFakeCluster()
        cluster.seed(Self.frontend())
        let lines = OutputLines()
        let interrupted = RollingUpdateOptions(oldName: "frontend", image: "nginx:1.25", updatePeriod: .seconds(1))
        // The user interrupts during the first update period (after the first scale-up).
        await #expect(throws: CancellationError.self) {
            try await Self.operation(interrupted, cluster: cluster, clock: InterruptingClock(), lines: lines).run()
        }
        let newName = try #require(cluster.controllerNames.first { $0 != "frontend" })
        #expect(cluster.controller(newName)?.spec.replicas == 1)
        #expect(cluster.controller("frontend")?.metadata.annotations[RollingUpdateAnnotations.originalReplicas] == "2")
        #expect(cluster.controller("frontend")?.metadata.annotations[RollingUpdateAnnotations.nextController] == newName)

        let rollbackLines = OutputLines()
        let rollback = RollingUpdateOptions(oldName: "frontend", rollback: true, updatePeriod: .seconds(1))
        try await Self.operation(rollback, cluster: cluster, clock: VirtualRollingUpdateClock(), lines: rollbackLines).run()
        #expect(rollbackLines.all == [
            "Setting \"frontend\" replicas to 2",
            "Continuing update with existing controller frontend.",
            "Scaling up frontend from 2 to 2, scaling down \(newName) from 1 to 0 (keep 2 pods available, don't exceed 3 pods)",
            "Scaling \(newName) down to 0",
            "Update succeeded. Deleting \(newName)",
            "replicationcontroller/frontend rolling updated",
        ])
        #expect(cluster.controllerNames == ["frontend"])
        #expect(cluster.controller("frontend")?.spec.replicas == 2)
        #expect(cluster.pods.count == 2)
        #expect(cluster.pods.allSatisfy { $0.spec.containers.first?.image == "nginx:1.24" })
    }

    @Test func dryRunNamesBothControllersAndWritesNothing() async throws {
        let cluster = RollingUpdateFakeCluster()
        cluster.seed(Self.frontend())
        let lines = OutputLines()
        let options = RollingUpdateOptions(oldName: "frontend", image: "nginx:1.25", dryRun: true)
        try await Self.operation(options, cluster: cluster, clock: VirtualRollingUpdateClock(), lines: lines).run()
        let text = try #require(lines.all.first)
        #expect(text.hasPrefix("Rolling from:\nfrontend\nTo:\nfrontend-"))
        #expect(cluster.writes.isEmpty)
    }

    @Test func fileUpdateUsesTheFilesControllerAndTheOldReplicaCount() async throws {
        let cluster = RollingUpdateFakeCluster()
        cluster.seed(Self.frontend(replicas: 1))
        let manifest = """
            apiVersion: v1
            kind: ReplicationController
            metadata:
              name: frontend-v2
            spec:
              selector: {app: frontend, version: v2}
              template:
                metadata:
                  labels: {app: frontend, version: v2}
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.26
            """
        let lines = OutputLines()
        let client = APIClient(transport: cluster, userAgent: "test")
        let updater = RollingUpdater(client: client, namespace: "default", clock: VirtualRollingUpdateClock()) { lines.append($0) }
        let options = RollingUpdateOptions(oldName: "frontend", newName: "frontend-v2", filename: "new.yaml")
        // The old selector has no "version" key: kubectl refuses, as 1.17 did.
        await #expect(throws: RollingUpdateError.message(
            "new.yaml must specify a matching key with non-equal value in Selector for frontend")) {
            try await RollingUpdateOperation(options: options, updater: updater, readFile: { _ in Array(manifest.utf8) }).run()
        }
        var old = Self.frontend(replicas: 1)
        old.metadata.name = "frontend-v1"
        old.spec.selector["version"] = "v1"
        old.spec.template?.metadata.labels["version"] = "v1"
        cluster.seed(old)
        let v1 = RollingUpdateOptions(oldName: "frontend-v1", newName: "frontend-v2", filename: "new.yaml")
        try await RollingUpdateOperation(options: v1, updater: updater, readFile: { _ in Array(manifest.utf8) }).run()
        #expect(lines.all == [
            "Created frontend-v2",
            "Scaling up frontend-v2 from 0 to 1, scaling down frontend-v1 from 1 to 0 (keep 1 pods available, don't exceed 2 pods)",
            "Scaling frontend-v2 up to 1",
            "Scaling frontend-v1 down to 0",
            "Update succeeded. Deleting frontend-v1",
            "replicationcontroller/frontend-v2 rolling updated to \"frontend-v2\"",
        ])
        #expect(cluster.controllerNames == ["frontend", "frontend-v2"])
    }

    @Test func argumentAndImageErrorsAreKubectls() async throws {
        #expect(RollingUpdateOptions(oldName: "frontend").usageProblems == ["Must specify --filename or --image for new controller"])
        #expect(RollingUpdateOptions(oldName: "frontend", image: "x", rollback: true).usageProblems
            == ["Don't specify --filename or --image on rollback"])
        let cluster = RollingUpdateFakeCluster()
        cluster.seed(Self.frontend())
        let same = RollingUpdateOptions(oldName: "frontend", image: "nginx:1.24")
        await #expect(throws: RollingUpdateError.message(
            "--image-pull-policy (Always|Never|IfNotPresent) must be provided when --image is the same as existing container image")) {
            try await Self.operation(same, cluster: cluster, clock: VirtualRollingUpdateClock(), lines: OutputLines()).run()
        }
        let missing = RollingUpdateOptions(oldName: "frontend", rollback: true)
        await #expect(throws: RollingUpdateError.message("Could not find  to rollback.\n")) {
            try await Self.operation(missing, cluster: cluster, clock: VirtualRollingUpdateClock(), lines: OutputLines()).run()
        }
    }

    @Test func goDurationsAndHashes() {
        #expect(GoDuration.parse("1m0s") == .seconds(60))
        #expect(GoDuration.parse("1s") == .seconds(1))
        #expect(GoDuration.parse("1h2m3.5s") == .milliseconds(3_723_500))
        #expect(GoDuration.parse("500ms") == .milliseconds(500))
        #expect(GoDuration.parse("5") == nil)
        #expect(GoDuration.format(.seconds(300)) == "5m0s")
        #expect(GoDuration.format(.milliseconds(1500)) == "1.5s")
        #expect(GoDuration.format(.milliseconds(3)) == "3ms")
    }
}

/// A clock whose first sleep throws, as if the user pressed Ctrl-C during the first update period.
///
/// Sendable; stateless.
struct InterruptingClock: RollingUpdateClock {
    func now() -> Date { Date(timeIntervalSince1970: 1_000_000) }
    func sleep(for duration: Duration) async throws { throw CancellationError() }
}
