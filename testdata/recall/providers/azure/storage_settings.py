import os

AZURE_ACCOUNT_NAME = "contosoreports"
# key on its own line, wrapped by black
AZURE_CONNECTION = (
    "DefaultEndpointsProtocol=https;AccountName=contosoreports;AccountKey="
    "0rIBwS3tDLkFONfXSn1TwFWkaMfZlYwe8Z06m09bH+oI9hKgN2Vet2948XLiXo/OWJ/1hfjOry/3ccwZb0TFjA=="
    ";EndpointSuffix=core.windows.net"
)

COSMOS = {
    "endpoint": "https://contoso-users.documents.azure.com:443/",
    "key": os.environ.get("COSMOS_KEY"),
}
