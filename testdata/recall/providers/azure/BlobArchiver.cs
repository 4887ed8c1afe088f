using Azure.Storage.Blobs;

namespace Contoso.Archiver
{
    public static class BlobArchiver
    {
        // TODO move to Key Vault
        private const string ConnectionString =
            "DefaultEndpointsProtocol=https;AccountName=contosoarchive;" +
            "AccountKey=t6e7PKXhjuCc6qJxzH8rubsMusrGY7zHT1paLeiQC3EdUZcL2CCcK6spjDWgKw1JMdh9cPqt68mzrKpF/PklFw==;" +
            "EndpointSuffix=core.windows.net";

        private const string EventHub = "Endpoint=sb://contoso-events.servicebus.windows.net/;" +
            "SharedAccessKeyName=listen;" +
            "SharedAccessKey=6gVpTZTAmKzILINgZsA4qJ6M8Knkwy80SDBDW1xizRI=";

        public static BlobContainerClient Container(string name) =>
            new BlobServiceClient(ConnectionString).GetBlobContainerClient(name);
    }
}
