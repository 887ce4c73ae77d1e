import Foundation
import KubeCore

/// Printers of RoleBinding and ClusterRoleBinding (rbac.authorization.k8s.io), and of kinds upstream prints
/// that Swiftlet may serve later: PriorityClass (scheduling.k8s.io), RuntimeClass (node.k8s.io) and the
/// webhook configurations (admissionregistration.k8s.io).
enum AccessPrinters {
    static func binding(_ kind: String) -> TablePrinter {
        TablePrinter.fields([
            .name,
            PrinterColumns.text("Role", "The role granted, as kind/name."),
            .age,
            PrinterColumns.text("Users", "Users the \(kind) grants to.", priority: 1),
            PrinterColumns.text("Groups", "Groups the \(kind) grants to.", priority: 1),
            PrinterColumns.text("ServiceAccounts", "Service accounts the \(kind) grants to.", priority: 1),
        ]) { binding, object, now in
            var users: [String] = []
            var groups: [String] = []
            var accounts: [String] = []
            for subject in binding["subjects"].items {
                switch subject["kind"].text {
                case "ServiceAccount": accounts.append("\(subject["namespace"].text)/\(subject["name"].text)")
                case "User": users.append(subject["name"].text)
                case "Group": groups.append(subject["name"].text)
                default: break
                }
            }
            return [
                .string(object.name),
                .string("\(binding["roleRef", "kind"].text)/\(binding["roleRef", "name"].text)"),
                .string(Age.of(object, now: now)),
                .string(users.joined(separator: ", ")),
                .string(groups.joined(separator: ", ")),
                .string(accounts.joined(separator: ", ")),
            ]
        }
    }

    static let roleBinding = binding("roleBinding")
    static let clusterRoleBinding = binding("clusterRoleBinding")

    static let priorityClass = TablePrinter.fields([
        .name,
        PrinterColumns.integer("Value", "The priority given to pods of this class."),
        PrinterColumns.boolean("Global-Default", "Whether pods without a class get this one."),
        .age,
        PrinterColumns.text("PreemptionPolicy", "Whether pods of this class may preempt others."),
    ]) { priorityClass, object, now in
        [.string(object.name), .integer(priorityClass["value"].integer),
         .bool(priorityClass["globalDefault"].bool ?? false), .string(Age.of(object, now: now)),
         .string(priorityClass["preemptionPolicy"].text)]
    }

    static let runtimeClass = TablePrinter.fields([
        .name,
        PrinterColumns.text("Handler", "The runtime handler that runs pods of this class."),
        .age,
    ]) { runtimeClass, object, now in
        [.string(object.name), .string(runtimeClass["handler"].text), .string(Age.of(object, now: now))]
    }

    static let webhookConfiguration = TablePrinter.fields([
        .name,
        PrinterColumns.integer("Webhooks", "Number of webhooks in the configuration."),
        .age,
    ]) { configuration, object, now in
        [.string(object.name), .integer(Int64(configuration["webhooks"].count)), .string(Age.of(object, now: now))]
    }
}
