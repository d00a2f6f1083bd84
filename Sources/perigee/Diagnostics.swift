import ArgumentParser
import PerigeeBenchmark
import ServiceLifecycle
import Foundation
import Hummingbird
import Logging
import PerigeeCore
import PerigeeServer
import PerigeeStore
import PerigeeSync

/// Lines for the operator on stderr (stdout carries results only).
enum Diagnostics {
    static func line(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
