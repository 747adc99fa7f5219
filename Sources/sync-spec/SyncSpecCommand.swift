import ArgumentParser
import SyncSpec
@main struct SyncSpecCommand: ParsableCommand {}
