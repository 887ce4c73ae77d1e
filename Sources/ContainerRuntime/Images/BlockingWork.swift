import Dispatch

/// Runs blocking file work (hashing, reading, renaming trees) on Dispatch's global queue so callers never
/// block a thread of Swift's cooperative pool.
///
/// Stateless; safe from any task.
enum BlockingWork {
    static func run<Value: Sendable>(
        _ work: @escaping @Sendable () throws(ImageError) -> Value
    ) async throws(ImageError) -> Value {
        let result: Result<Value, ImageError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do throws(ImageError) {
                    continuation.resume(returning: .success(try work()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
