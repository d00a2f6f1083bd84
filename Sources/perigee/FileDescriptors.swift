import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PerigeeBenchmark
import PerigeeCore
import PerigeeServer
import PerigeeStore
import PerigeeSync
import ServiceLifecycle

/// The process's file-descriptor limit, raised to its hard limit at start: each connection costs
/// one, and the default soft limit (often 1,024) is far below what `--max-connections` allows.
enum FileDescriptors {
    /// Raises the soft limit to the hard one; returns the limit in force.
    static func raiseSoftLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(RLIMIT_NOFILE_VALUE, &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(RLIMIT_NOFILE_VALUE, &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }

    #if canImport(Glibc)
    static let RLIMIT_NOFILE_VALUE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    static let RLIMIT_NOFILE_VALUE = RLIMIT_NOFILE
    #endif
}
