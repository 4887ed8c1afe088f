import pyotp

# break-glass admin account
totp = pyotp.TOTP("DRIPPRGKXPD3BSJL3BB5QTPSQ7X6KKYT")
print(totp.now())

# from the environment
backup = pyotp.TOTP(os.environ["BACKUP_TOTP_SEED"])

demo = pyotp.TOTP("base32secret3232")
