/// Hand-written ``TypeSchema``s for the KubeCore meta types that API types use as fields
/// (upstream `k8s.io/apimachinery/pkg/apis/meta/v1`): upstream field names, proto numbers and
/// patch strategies; our own short docs. Listed in `APIRegistry.schemas` next to the generated ones.
public enum KubeCoreSchemas {
    static let metaGroup = "meta.k8s.io"
    static let metaPackage = "io.k8s.apimachinery.pkg.apis.meta.v1."

    /// Every KubeCore schema, sorted by name.
    public static let all: [TypeSchema] = [
        labelSelector, labelSelectorRequirement, listMeta, managedFieldsEntry, objectMeta, ownerReference,
    ]

    public static let objectMeta = TypeSchema(
        name: "ObjectMeta", group: metaGroup, version: "v1",
        doc: "Metadata every persisted object carries: name, namespace, labels, annotations, owners and "
            + "the fields the server maintains (uid, resourceVersion, generation, timestamps).",
        openAPIName: metaPackage + "ObjectMeta",
        fields: [
            FieldSchema("name", .string, protoNumber: 1, doc: "Unique name within the namespace; cannot be changed."),
            FieldSchema(
                "generateName", .string, protoNumber: 2,
                doc: "Prefix from which the server generates a unique name when name is empty."),
            FieldSchema(
                "namespace", .string, protoNumber: 3,
                doc: "Namespace the object lives in; empty for cluster-scoped objects."),
            FieldSchema("selfLink", .string, protoNumber: 4, doc: "Deprecated; never set by the server."),
            FieldSchema("uid", .string, protoNumber: 5, doc: "Unique identifier set by the server at creation."),
            FieldSchema(
                "resourceVersion", .string, protoNumber: 6,
                doc: "Opaque version of the object, used for optimistic concurrency and watches."),
            FieldSchema(
                "generation", .int64, protoNumber: 7,
                doc: "Sequence number of changes to the desired state, set by the server."),
            FieldSchema(
                "creationTimestamp", .time, protoNumber: 8, doc: "When the object was created, set by the server."),
            FieldSchema(
                "deletionTimestamp", .time, protoNumber: 9, doc: "When graceful deletion was requested.",
                pointer: true),
            FieldSchema(
                "deletionGracePeriodSeconds", .int64, protoNumber: 10,
                doc: "Seconds allowed for graceful termination before the object is removed.", pointer: true),
            FieldSchema(
                "labels", .map(.string), protoNumber: 11,
                doc: "Key-value pairs used to organize and select objects."),
            FieldSchema(
                "annotations", .map(.string), protoNumber: 12,
                doc: "Arbitrary non-identifying key-value metadata for tools and libraries."),
            FieldSchema(
                "ownerReferences", .array(.object("OwnerReference")), protoNumber: 13,
                doc: "Objects this object depends on; it is garbage-collected when they are gone.",
                patchStrategy: "merge", patchMergeKey: "uid", listType: "map", listMapKeys: ["uid"]),
            FieldSchema(
                "finalizers", .array(.string), protoNumber: 14,
                doc: "Keys that must be removed before the object is deleted.",
                patchStrategy: "merge", listType: "set"),
            FieldSchema(
                "managedFields", .array(.object("ManagedFieldsEntry")), protoNumber: 17,
                doc: "Which manager owns which fields (server-side apply); maintained by the server.",
                listType: "atomic"),
        ]
    )

    public static let listMeta = TypeSchema(
        name: "ListMeta", group: metaGroup, version: "v1",
        doc: "Metadata of list responses: the collection's resourceVersion and the continue token for paging.",
        openAPIName: metaPackage + "ListMeta",
        fields: [
            FieldSchema("selfLink", .string, protoNumber: 1, doc: "Deprecated; never set by the server."),
            FieldSchema(
                "resourceVersion", .string, protoNumber: 2,
                doc: "Version of the collection; start a watch from here."),
            FieldSchema(
                "continue", .string, protoNumber: 3,
                doc: "Token for the next page when the list was limited; empty on the last page."),
            FieldSchema(
                "remainingItemCount", .int64, protoNumber: 4,
                doc: "Approximate number of items after this page.", pointer: true),
        ]
    )

    public static let labelSelector = TypeSchema(
        name: "LabelSelector", group: metaGroup, version: "v1",
        doc: "A label query; the requirements are ANDed. An empty selector matches everything.",
        openAPIName: metaPackage + "LabelSelector",
        structType: "atomic",
        fields: [
            FieldSchema(
                "matchLabels", .map(.string), protoNumber: 1,
                doc: "Labels that must all be present with these exact values."),
            FieldSchema(
                "matchExpressions", .array(.object("LabelSelectorRequirement")), protoNumber: 2,
                doc: "Set-based requirements that must all hold.", listType: "atomic"),
        ]
    )

    public static let labelSelectorRequirement = TypeSchema(
        name: "LabelSelectorRequirement", group: metaGroup, version: "v1",
        doc: "One set-based requirement: a label key, an operator and values.",
        openAPIName: metaPackage + "LabelSelectorRequirement",
        fields: [
            FieldSchema(
                "key", .string, protoNumber: 1, doc: "The label key the requirement applies to.", always: true,
                required: true, patchStrategy: "merge", patchMergeKey: "key"),
            FieldSchema(
                "operator", .string, protoNumber: 2, doc: "How the key relates to the values.", always: true,
                required: true, enumValues: ["In", "NotIn", "Exists", "DoesNotExist"]),
            FieldSchema(
                "values", .array(.string), protoNumber: 3,
                doc: "Values for In and NotIn (non-empty); must be empty for Exists and DoesNotExist.",
                listType: "atomic"),
        ]
    )

    public static let ownerReference = TypeSchema(
        name: "OwnerReference", group: metaGroup, version: "v1",
        doc: "Identifies an owner of an object; the owner must be in the same namespace or cluster-scoped.",
        openAPIName: metaPackage + "OwnerReference",
        structType: "atomic",
        fields: [
            FieldSchema(
                "apiVersion", .string, protoNumber: 5, doc: "API version of the owner.", always: true, required: true),
            FieldSchema("kind", .string, protoNumber: 1, doc: "Kind of the owner.", always: true, required: true),
            FieldSchema("name", .string, protoNumber: 3, doc: "Name of the owner.", always: true, required: true),
            FieldSchema("uid", .string, protoNumber: 4, doc: "UID of the owner.", always: true, required: true),
            FieldSchema(
                "controller", .bool, protoNumber: 6, doc: "True if the owner is the managing controller.",
                pointer: true),
            FieldSchema(
                "blockOwnerDeletion", .bool, protoNumber: 7,
                doc: "If true, foreground deletion of the owner waits until this object is removed.", pointer: true),
        ]
    )

    public static let managedFieldsEntry = TypeSchema(
        name: "ManagedFieldsEntry", group: metaGroup, version: "v1",
        doc: "The set of fields one manager owns, recorded by server-side apply.",
        openAPIName: metaPackage + "ManagedFieldsEntry",
        fields: [
            FieldSchema("manager", .string, protoNumber: 1, doc: "Name of the workflow managing these fields."),
            FieldSchema(
                "operation", .string, protoNumber: 2, doc: "The operation that produced this entry.",
                enumValues: ["Apply", "Update"]),
            FieldSchema(
                "apiVersion", .string, protoNumber: 3, doc: "API version the field set is expressed in."),
            FieldSchema("time", .time, protoNumber: 4, doc: "When the entry last changed.", pointer: true),
            FieldSchema("fieldsType", .string, protoNumber: 6, doc: "Format of fieldsV1; always FieldsV1."),
            FieldSchema("fieldsV1", .json, protoNumber: 7, doc: "The owned fields as a field set.", pointer: true),
            FieldSchema(
                "subresource", .string, protoNumber: 8, doc: "The subresource the entry applies to, if any."),
        ]
    )
}
