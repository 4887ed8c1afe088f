require "rails_helper"

RSpec.describe User do
  let(:user) { described_class.create!(email: "ops@acme.test", password: "AyOHFRuT11NC") }

  it "rejects a short password" do
    expect(described_class.new(email: "a@acme.test", password: "")).not_to be_valid
  end

  it "authenticates" do
    expect(user.authenticate("ue1cr3McRTrK")).to be_truthy
  end
end
