import Logging
import PerigeeStore
import ServiceLifecycle

/// Runs the `StoreChangeListener` of a PostgreSQL store in the application's service group, once
/// the store is prepared (its version table exists), until the group shuts down.
struct StoreChangeService: Service {
    let listener: StoreChangeListener
    let readiness: StoreReadiness

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !readiness.isReady {
                guard (try? await Task.sleep(for: .milliseconds(100))) != nil else { return }
            }
            await listener.run()
        }
    }
}
