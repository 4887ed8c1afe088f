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

        public string ApiToken { get; set; } = "KM658R6rCHZtDuoz97U5Hpfx";

        public string PasswordHint { get; set; } = "Use your directory password";
    }

    public class BackupClient
    {
        private const string WebhookSigningKey = "b0bcc6bc4552e9071590d292a283a2043d77faecbaa4ff21db0c2e0b03dd475c";

        public SmtpClient Mailer(IConfiguration config)
        {
            var options = new SmtpOptions { UserName = "backup", Password = "RkunyBHsr4dEtU" };
            var fromConfig = new SmtpOptions { UserName = "backup", Password = config["Smtp:Password"] };
            return new SmtpClient("smtp.acme.local")
            {
                Credentials = new NetworkCredential("svc-backup", "htPjX6l6dWDb"),
            };
        }

        public ICredentials Share(string user, string password)
        {
            return new NetworkCredential(user, password, "ACME");
        }
    }
}
