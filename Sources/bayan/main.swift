print("bayan")
