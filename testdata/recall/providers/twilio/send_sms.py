from twilio.rest import Client

# Your Account SID and Auth Token from console.twilio.com
account_sid = "AC85c8223135cb8fdfb3856ff0546264c4"
auth_token = "af9ed79f1b9c674aad0eeadd0fbcdede"
client = Client(account_sid, auth_token)

message = client.messages.create(to="+15558675310", from_="+15017122661", body="Your code is 4821")
