import Foundation

/// The dataset shipped with Perigee: the seed captures, imported into a new default store.
public enum BundledData {
    /// The folder holding the bundled files.
    public static var directory: String {
        Bundle.module.url(forResource: "BundledData", withExtension: nil)!.path
    }
}
