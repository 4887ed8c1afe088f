use reqwest::blocking::Client;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new();
    let res = client
        .get("https://inventory.corp.local/api/items")
        .header("Authorization", "Bearer QblUIvaEe0Js5CA2z0Zb28hMrnP5r7PtdbnSa4Yr")
        .header("X-Api-Key", "ov14gO5O6fkjEIPy2p6G0xWz1j0avp")
        .send()?;
    println!("{}", res.status());
    let token = std::env::var("INVENTORY_TOKEN")?;
    client
        .get("https://inventory.corp.local/api/items")
        .header("Authorization", format!("Bearer {token}"))
        .send()?;
    Ok(())
}
