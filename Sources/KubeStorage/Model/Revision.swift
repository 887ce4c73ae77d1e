/// A store revision: one global counter that rises by exactly one per committed mutation, as in etcd.
///
/// A fresh store is at revision 1, so the first write commits at revision 2.
public typealias Revision = Int64
