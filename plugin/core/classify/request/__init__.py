"""What a batch request carries: the prompt (prompts.py, from resources/prompts/*.txt), the answer
schema (schemas.py: strict, one key per fid, or simple), and the chips, read strictly
(chip_files.py) and sent as base64 in the JSON body (chip_payload.py)."""
