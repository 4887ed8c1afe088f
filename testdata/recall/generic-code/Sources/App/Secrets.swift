import Foundation

enum Secrets {
    static let apiKey = "q5axtjRNmHkW5vQ7CF5puzQq"
    static let clientSecret = "mOBZZW6m4nyoL6uniiFw"
    static let passwordPrompt = NSLocalizedString("Enter your password", comment: "login field")
    static let password = ProcessInfo.processInfo.environment["APP_PASSWORD"] ?? ""
}

struct Login {
    let username: String
    let password: String
}
