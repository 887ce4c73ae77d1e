import Foundation
import KubeCore

/// Service discovery and traffic printers: Service and Endpoints (core), EndpointSlice (discovery.k8s.io),
/// Ingress, IngressClass and NetworkPolicy (networking.k8s.io).
enum NetworkPrinters {
    static let service = TablePrinter.fields([
        .name,
        PrinterColumns.text("Type", "How the service is exposed."),
        PrinterColumns.text("Cluster-IP", "The virtual IP inside the cluster."),
        PrinterColumns.text("External-IP", "Addresses reachable from outside the cluster."),
        PrinterColumns.text("Port(s)", "Service ports, with node ports, and protocols."),
        .age,
        PrinterColumns.selector("Labels of the pods that back the service."),
    ]) { service, object, now in
        let spec = service["spec"]
        let clusterIP = spec["clusterIP"].nonEmpty ?? spec["clusterIPs"].items.first?.nonEmpty ?? "<none>"
        let ports = spec["ports"].items.map { port in
            let proto = port["protocol"].nonEmpty ?? "TCP"
            let nodePort = port["nodePort"].integer
            return nodePort > 0
                ? "\(port["port"].integer):\(nodePort)/\(proto)" : "\(port["port"].integer)/\(proto)"
        }.joined(separator: ",")
        let type = spec["type"].nonEmpty ?? "ClusterIP"
        return [
            .string(object.name), .string(type), .string(clusterIP),
            .string(externalIP(service, type: type)),
            .string(ports.isEmpty ? "<none>" : ports),
            .string(Age.of(object, now: now)),
            .string(PrintFormat.labels(spec["selector"])),
        ]
    }

    /// Upstream `getServiceExternalIP` in wide mode.
    static func externalIP(_ service: TableField, type: String) -> String {
        let externalIPs = service["spec", "externalIPs"].items.compactMap(\.string)
        switch type {
        case "ClusterIP", "NodePort":
            return externalIPs.isEmpty ? "<none>" : externalIPs.joined(separator: ",")
        case "LoadBalancer":
            let balancer = PrintFormat.loadBalancerIngress(service["status", "loadBalancer"])
            if !externalIPs.isEmpty {
                let points = balancer.isEmpty ? [] : balancer.split(separator: ",").map(String.init)
                return (points + externalIPs).joined(separator: ",")
            }
            return balancer.isEmpty ? "<pending>" : balancer
        case "ExternalName":
            return service["spec", "externalName"].text
        default:
            return "<unknown>"
        }
    }

    static let endpoints = TablePrinter.fields([
        .name,
        PrinterColumns.text("Endpoints", "The first few ready addresses with their ports."),
        .age,
    ]) { endpoints, object, now in
        [.string(object.name), .string(formatEndpoints(endpoints["subsets"])), .string(Age.of(object, now: now))]
    }

    /// Upstream `formatEndpoints`: up to three `ip:port` entries, then `+ N more...`.
    static func formatEndpoints(_ subsets: TableField) -> String {
        guard subsets.count > 0 else { return "<none>" }
        let max = 3
        var list: [String] = []
        var more = false
        var count = 0
        for subset in subsets.items {
            let addresses = subset["addresses"].items.map { $0["ip"].text }
            let ports = subset["ports"].items
            if ports.isEmpty {
                count += addresses.count
                for address in addresses {
                    if list.count == max {
                        more = true
                        break
                    }
                    list.append(address)
                }
                continue
            }
            for port in ports {
                count += addresses.count
                for address in addresses {
                    if list.count == max {
                        more = true
                        break
                    }
                    list.append(PrintFormat.hostPort(address, port["port"].integer))
                }
            }
        }
        let joined = list.joined(separator: ",")
        return more ? "\(joined) + \(count - max) more..." : joined
    }

    static let endpointSlice = TablePrinter.fields([
        .name,
        PrinterColumns.text("AddressType", "The kind of addresses in the slice."),
        PrinterColumns.text("Ports", "The ports every endpoint exposes."),
        PrinterColumns.text("Endpoints", "The first few endpoint addresses."),
        .age,
    ]) { slice, object, now in
        let ports = slice["ports"].items.map { port in
            if let number = port["port"].int { return String(number) }
            return port["name"].string ?? "*"
        }
        let addresses = slice["endpoints"].items.flatMap { $0["addresses"].items.map(\.text) }
        return [
            .string(object.name), .string(slice["addressType"].text),
            .string(PrintFormat.listWithMore(ports)), .string(PrintFormat.listWithMore(addresses)),
            .string(Age.of(object, now: now)),
        ]
    }

    static let ingress = TablePrinter.fields([
        .name,
        PrinterColumns.text("Class", "The IngressClass that handles this ingress."),
        PrinterColumns.text("Hosts", "Host names the rules match."),
        PrinterColumns.text("Address", "Load-balancer addresses of the ingress."),
        PrinterColumns.text("Ports", "Ports the ingress listens on."),
        .age,
    ]) { ingress, object, now in
        let spec = ingress["spec"]
        let rules = spec["rules"].items
        let max = 3
        var hosts: [String] = []
        var more = false
        for rule in rules {
            if hosts.count == max { more = true }
            if !more, let host = rule["host"].nonEmpty { hosts.append(host) }
        }
        var hostText = hosts.isEmpty ? "*" : hosts.joined(separator: ",")
        if more { hostText += " + \(rules.count - max) more..." }
        return [
            .string(object.name),
            .string(spec["ingressClassName"].string ?? "<none>"),
            .string(hostText),
            .string(PrintFormat.loadBalancerIngress(ingress["status", "loadBalancer"])),
            .string(spec["tls"].count > 0 ? "80, 443" : "80"),
            .string(Age.of(object, now: now)),
        ]
    }

    static let ingressClass = TablePrinter.fields([
        .name,
        PrinterColumns.text("Controller", "The controller that implements this class."),
        PrinterColumns.text("Parameters", "The resource holding extra settings for the class."),
        .age,
    ]) { ingressClass, object, now in
        var parameters = "<none>"
        let reference = ingressClass["spec", "parameters"]
        if reference.exists {
            parameters = reference["kind"].text
            if let group = reference["apiGroup"].string { parameters += "." + group }
            parameters += "/" + reference["name"].text
        }
        return [.string(object.name), .string(ingressClass["spec", "controller"].text), .string(parameters),
                .string(Age.of(object, now: now))]
    }

    static let networkPolicy = TablePrinter.fields([
        .name,
        PrinterColumns.text("Pod-Selector", "The pods the policy applies to."),
        .age,
    ]) { policy, object, now in
        [.string(object.name), .string(PrintFormat.labelSelector(policy["spec", "podSelector"])),
         .string(Age.of(object, now: now))]
    }
}
