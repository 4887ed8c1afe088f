require "octokit"

# revision pinned for the changelog, not a credential
PINNED_COMMIT = "67580541ec0f152baf19553d7e878f7f8161e5a4"

client = Octokit::Client.new(access_token: ENV.fetch("GITHUB_TOKEN"))
client.create_release("contoso/widgets", "v2.3.0")
