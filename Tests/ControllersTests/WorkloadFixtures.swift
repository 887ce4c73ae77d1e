import Foundation
import KubeAPI
import KubeCore

/// Builders for the workload controller tests.
enum WorkloadFixtures {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    static func time(_ secondsBeforeNow: Int64) -> RFC3339Time {
        RFC3339Time(secondsSince1970: Int64(now.timeIntervalSince1970) - secondsBeforeNow)
    }

    static func template(image: String = "nginx:1", labels: [String: String] = ["app": "web"]) -> PodTemplateSpec {
        var template = PodTemplateSpec()
        template.metadata.labels = labels
        template.spec.containers = [Container(name: "main", image: image)]
        return template
    }

    static func replicaSet(name: String = "web", uid: String = "rs-uid", replicas: Int32, minReadySeconds: Int32 = 0,
                           labels: [String: String] = ["app": "web"]) -> ReplicaSet {
        var replicaSet = ReplicaSet()
        replicaSet.metadata.name = name
        replicaSet.metadata.namespace = "default"
        replicaSet.metadata.uid = uid
        replicaSet.metadata.generation = 1
        replicaSet.metadata.labels = labels
        replicaSet.spec.replicas = replicas
        replicaSet.spec.minReadySeconds = minReadySeconds
        replicaSet.spec.selector = LabelSelector(matchLabels: labels)
        replicaSet.spec.template = template(labels: labels)
        return replicaSet
    }

    static func pod(_ name: String, labels: [String: String] = ["app": "web"], owner: String? = "rs-uid",
                    phase: String = "Running", node: String = "node-1", ready: Bool = true,
                    readySecondsAgo: Int64 = 100, createdSecondsAgo: Int64 = 200) -> Pod {
        var pod = Pod()
        pod.metadata.name = name
        pod.metadata.namespace = "default"
        pod.metadata.uid = "uid-\(name)"
        pod.metadata.labels = labels
        pod.metadata.creationTimestamp = time(createdSecondsAgo)
        if let owner {
            pod.metadata.ownerReferences = [
                OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: owner, controller: true,
                               blockOwnerDeletion: true),
            ]
        }
        pod.spec.nodeName = node
        pod.status.phase = phase
        pod.status.conditions = [
            PodCondition(type: "Ready", status: ready ? "True" : "False", lastTransitionTime: time(readySecondsAgo)),
        ]
        return pod
    }

    static func deployment(replicas: Int32 = 3, image: String = "nginx:1", strategy: String = "RollingUpdate",
                           maxSurge: IntOrString = "25%", maxUnavailable: IntOrString = "25%") -> Deployment {
        var deployment = Deployment()
        deployment.metadata.name = "web"
        deployment.metadata.namespace = "default"
        deployment.metadata.uid = "deploy-uid"
        deployment.metadata.generation = 1
        deployment.spec.replicas = replicas
        deployment.spec.selector = LabelSelector(matchLabels: ["app": "web"])
        deployment.spec.template = template(image: image)
        deployment.spec.strategy = DeploymentStrategy(
            type: strategy,
            rollingUpdate: strategy == "RollingUpdate"
                ? RollingUpdateDeployment(maxUnavailable: maxUnavailable, maxSurge: maxSurge) : nil)
        deployment.spec.revisionHistoryLimit = 10
        deployment.spec.progressDeadlineSeconds = 600
        return deployment
    }
}
