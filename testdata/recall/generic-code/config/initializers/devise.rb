Devise.setup do |config|
  config.mailer_sender = "noreply@acme.io"
  config.pepper = "TclorXwIS8HGNWkz2YS5ofA75UyiCDmO46ayJKP4"
  config.stretches = Rails.env.test? ? 1 : 12
  config.password_length = 8..128
end
