import KubeAPI

/// Upstream wire facts the generated schemas do not carry (field numbers from upstream
/// `k8s.io/api/**/generated.proto` and `k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto`).
///
/// Immutable tables; Sendable.
enum ProtobufSchemaAdditions {
    /// Go structs embedded inline (`LocalObjectReference` in `ConfigMapKeySelector`, `VolumeSource` in
    /// `Volume`, ...). In JSON their fields sit in the parent object (the generated schemas list them there,
    /// without a proto number); on the wire they are one nested message under the parent's field number.
    /// Type name → outer field number → JSON field name → field number inside the nested message.
    static let embeddedMessages: [String: [Int: [String: Int]]] = [
        "EphemeralContainer": [1: containerFieldNumbers],
        "ConfigMapKeySelector": [1: localObjectReference],
        "SecretKeySelector": [1: localObjectReference],
        "ConfigMapEnvSource": [1: localObjectReference],
        "SecretEnvSource": [1: localObjectReference],
        "ConfigMapVolumeSource": [1: localObjectReference],
        "SecretProjection": [1: localObjectReference],
        "ConfigMapProjection": [1: localObjectReference],
        "Probe": [1: probeHandler],
        "Volume": [2: volumeSource],
        "PersistentVolumeSpec": [2: persistentVolumeSource],
        "IngressRule": [2: ["http": 1]],
    ]

    /// Fields the generated schemas type as free JSON but upstream encodes as a typed message.
    static let fieldTypeOverrides: [String: [String: FieldType]] = [
        "Eviction": ["deleteOptions": .object("DeleteOptions")]
    ]

    /// Message types referenced by ``fieldTypeOverrides`` that the registry does not describe.
    static let schemas: [String: TypeSchema] = [
        "DeleteOptions": TypeSchema(
            name: "DeleteOptions", group: "meta.k8s.io", version: "v1",
            openAPIName: "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
            fields: [
                FieldSchema("gracePeriodSeconds", .int64, protoNumber: 1, pointer: true),
                FieldSchema("preconditions", .object("Preconditions"), protoNumber: 2, pointer: true),
                FieldSchema("orphanDependents", .bool, protoNumber: 3, pointer: true),
                FieldSchema("propagationPolicy", .string, protoNumber: 4, pointer: true),
                FieldSchema("dryRun", .array(.string), protoNumber: 5),
                FieldSchema("ignoreStoreReadErrorWithClusterBreakingPotential", .bool, protoNumber: 6, pointer: true),
            ]),
        "Preconditions": TypeSchema(
            name: "Preconditions", group: "meta.k8s.io", version: "v1",
            openAPIName: "io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions",
            fields: [
                FieldSchema("uid", .string, protoNumber: 1, pointer: true),
                FieldSchema("resourceVersion", .string, protoNumber: 2, pointer: true),
            ]),
    ]

    static let localObjectReference = ["name": 1]

    /// `EphemeralContainerCommon` uses the field numbers of `Container`.
    static let containerFieldNumbers: [String: Int] = Dictionary(
        (APIRegistry.schema(named: "Container")?.fields ?? []).compactMap { field in
            field.protoNumber.map { (field.name, $0) }
        },
        uniquingKeysWith: { first, _ in first })

    static let probeHandler = ["exec": 1, "httpGet": 2, "tcpSocket": 3, "grpc": 4]

    static let volumeSource = [
        "hostPath": 1, "emptyDir": 2, "gcePersistentDisk": 3, "awsElasticBlockStore": 4, "gitRepo": 5, "secret": 6,
        "nfs": 7, "iscsi": 8, "glusterfs": 9, "persistentVolumeClaim": 10, "rbd": 11, "flexVolume": 12, "cinder": 13,
        "cephfs": 14, "flocker": 15, "downwardAPI": 16, "fc": 17, "azureFile": 18, "configMap": 19,
        "vsphereVolume": 20, "quobyte": 21, "azureDisk": 22, "photonPersistentDisk": 23, "portworxVolume": 24,
        "scaleIO": 25, "projected": 26, "storageos": 27, "csi": 28, "ephemeral": 29, "image": 30,
    ]

    static let persistentVolumeSource = [
        "gcePersistentDisk": 1, "awsElasticBlockStore": 2, "hostPath": 3, "glusterfs": 4, "nfs": 5, "rbd": 6,
        "iscsi": 7, "cinder": 8, "cephfs": 9, "fc": 10, "flocker": 11, "flexVolume": 12, "azureFile": 13,
        "vsphereVolume": 14, "quobyte": 15, "azureDisk": 16, "photonPersistentDisk": 17, "portworxVolume": 18,
        "scaleIO": 19, "local": 20, "storageos": 21, "csi": 22,
    ]
}
