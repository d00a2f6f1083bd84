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

/// Lines for the operator on stderr (stdout carries results only).
enum Diagnostics {
    static func line(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
