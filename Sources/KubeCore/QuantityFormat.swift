/// How a ``Quantity`` prefers to be written (upstream `resource.Format`): `DecimalExponent`
/// (`12e6`), `BinarySI` (`5Gi`) or `DecimalSI` (`5G`, `100m`).
/// Value type; Sendable.
public enum QuantityFormat: String, Hashable, Sendable, CaseIterable, Codable {
    case decimalExponent = "DecimalExponent"
    case binarySI = "BinarySI"
    case decimalSI = "DecimalSI"
}
