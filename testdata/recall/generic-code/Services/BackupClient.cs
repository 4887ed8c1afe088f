using System.Net;
using System.Net.Mail;
using Newtonsoft.Json;

namespace Acme.Backup.Services
{
    public class SmtpOptions
    {
        [JsonProperty("password")]
        public string Password { get; set; }

        public string UserName { get; set; }
    }

    public class BackupClient
    {
        private const string WebhookSigningKey = "8e9ea7c72bb0bcc6bc4552e9071590d292a283a2043d77faecbaa4ff21db0c2e";

        public SmtpClient Mailer(IConfiguration config)
        {
            var options = new SmtpOptions { UserName = "backup", Password = "9IObHxTaZhA7A6" };
            var fromConfig = new SmtpOptions { UserName = "backup", Password = config["Smtp:Password"] };
            return new SmtpClient("smtp.acme.local")
            {
                Credentials = new NetworkCredential("svc-backup", "Hsr4dEtUhtPj"),
            };
        }

        public ICredentials Share(string user, string password)
        {
            return new NetworkCredential(user, password, "ACME");
        }
    }
}
