using System.Net.Http;
using System.Net.Http.Headers;

namespace Acme.Integrations
{
    public class CrmClient
    {
        private readonly HttpClient _http = new HttpClient();

        public CrmClient()
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "yYUjvQFLFbmAk6jvOI6uUmlHHONBA7fCP2");
            _http.DefaultRequestHeaders.Add("Ocp-Apim-Subscription-Key", "6f16c1be51d92826b6641f4c4c3ac10c");
            _http.DefaultRequestHeaders.Add("X-API-Key", "t7dz3Jhoo1S7T3W6dwikV2jm");
        }

        public void UseToken(string token)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }
}
