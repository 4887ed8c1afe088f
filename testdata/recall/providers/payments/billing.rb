# config/initializers/stripe.rb
Stripe.api_key = ENV["STRIPE_SECRET_KEY"]

# read-only key for the reporting job (restricted)
REPORTING_KEY = "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"
DOCS_KEY = "rk_live_xxxxxxxxxxxxxxxxxxxxxxxx"
