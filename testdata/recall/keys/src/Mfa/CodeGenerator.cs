using OtpNet;

public static class CodeGenerator
{
    private static readonly Totp Totp = new Totp(Base32Encoding.ToBytes("WGTRNLGXGETELGNM4UG5QZAPD7WXHMOE"));

    public static string Now() => Totp.ComputeTotp();
}
