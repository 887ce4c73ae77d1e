import Foundation
import KubeCore

/// Storage printers: PersistentVolume and PersistentVolumeClaim (core), StorageClass (storage.k8s.io).
enum StoragePrinters {
    static let betaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class"

    static let persistentVolume = TablePrinter.fields([
        .name,
        PrinterColumns.text("Capacity", "The volume's storage size."),
        PrinterColumns.text("Access Modes", "How the volume can be mounted (RWO, ROX, RWX, RWOP)."),
        PrinterColumns.text("Reclaim Policy", "What happens to the volume when its claim is released."),
        PrinterColumns.text("Status", "The volume's phase."),
        PrinterColumns.text("Claim", "The claim bound to the volume, as namespace/name."),
        PrinterColumns.text("StorageClass", "The storage class of the volume."),
        PrinterColumns.text("VolumeAttributesClass", "The volume attributes class of the volume."),
        PrinterColumns.text("Reason", "Why the volume is in its phase."),
        .age,
        PrinterColumns.text("VolumeMode", "Filesystem or Block.", priority: 1),
    ]) { volume, object, now in
        let spec = volume["spec"]
        var claim = ""
        if spec["claimRef"].exists {
            claim = "\(spec["claimRef", "namespace"].text)/\(spec["claimRef", "name"].text)"
        }
        let phase = volume["metadata", "deletionTimestamp"].exists ? "Terminating" : volume["status", "phase"].text
        let storageClass = volume["metadata", "annotations"].stringMap[betaStorageClassAnnotation]
            ?? spec["storageClassName"].text
        return [
            .string(object.name),
            .string(spec["capacity", "storage"].quantity),
            .string(PrintFormat.accessModes(spec["accessModes"])),
            .string(spec["persistentVolumeReclaimPolicy"].text),
            .string(phase),
            .string(claim),
            .string(storageClass),
            .string(spec["volumeAttributesClassName"].string ?? "<unset>"),
            .string(volume["status", "reason"].text),
            .string(Age.of(object, now: now)),
            .string(spec["volumeMode"].string ?? "<unset>"),
        ]
    }

    static let persistentVolumeClaim = TablePrinter.fields([
        .name,
        PrinterColumns.text("Status", "The claim's phase."),
        PrinterColumns.text("Volume", "The volume bound to the claim."),
        PrinterColumns.text("Capacity", "The storage size of the bound volume."),
        PrinterColumns.text("Access Modes", "How the bound volume can be mounted (RWO, ROX, RWX, RWOP)."),
        PrinterColumns.text("StorageClass", "The storage class the claim asks for."),
        PrinterColumns.text("VolumeAttributesClass", "The volume attributes class the claim asks for."),
        .age,
        PrinterColumns.text("VolumeMode", "Filesystem or Block.", priority: 1),
    ]) { claim, object, now in
        let spec = claim["spec"]
        let phase = claim["metadata", "deletionTimestamp"].exists ? "Terminating" : claim["status", "phase"].text
        let volumeName = spec["volumeName"].text
        var capacity = ""
        var accessModes = ""
        if !volumeName.isEmpty {
            accessModes = PrintFormat.accessModes(claim["status", "accessModes"])
            capacity = claim["status", "capacity", "storage"].quantity
        }
        let storageClass = claim["metadata", "annotations"].stringMap[betaStorageClassAnnotation]
            ?? spec["storageClassName"].text
        return [
            .string(object.name),
            .string(phase),
            .string(volumeName),
            .string(capacity),
            .string(accessModes),
            .string(storageClass),
            .string(spec["volumeAttributesClassName"].string ?? "<unset>"),
            .string(Age.of(object, now: now)),
            .string(spec["volumeMode"].string ?? "<unset>"),
        ]
    }

    static let storageClass = TablePrinter.fields([
        .name,
        PrinterColumns.text("Provisioner", "The driver that creates volumes of this class."),
        PrinterColumns.text("ReclaimPolicy", "What happens to released volumes of this class."),
        PrinterColumns.text("VolumeBindingMode", "When claims of this class are bound and provisioned."),
        PrinterColumns.text("AllowVolumeExpansion", "Whether volumes of this class can grow."),
        .age,
    ]) { storageClass, object, now in
        let annotations = storageClass["metadata", "annotations"].stringMap
        let isDefault = annotations["storageclass.kubernetes.io/is-default-class"] == "true"
            || annotations["storageclass.beta.kubernetes.io/is-default-class"] == "true"
        return [
            .string(isDefault ? "\(object.name) (default)" : object.name),
            .string(storageClass["provisioner"].text),
            .string(storageClass["reclaimPolicy"].string ?? "Delete"),
            .string(storageClass["volumeBindingMode"].string ?? "Immediate"),
            .bool(storageClass["allowVolumeExpansion"].bool ?? false),
            .string(Age.of(object, now: now)),
        ]
    }
}
