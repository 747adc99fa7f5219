@main struct SyncServerCommand { static func main() {} }
