import Foundation

enum Secrets {
    static let apiKey = "wtPYKbPizDmbX1rpXjYdOhCg"
    static let clientSecret = "OIPOZx9eRmm0EqlTaWEI"
    static let passwordPrompt = NSLocalizedString("Enter your password", comment: "login field")
    static let password = ProcessInfo.processInfo.environment["APP_PASSWORD"] ?? ""
}

struct Login {
    let username: String
    let password: String
}
