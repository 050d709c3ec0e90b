# rejects: 0
# expect: format acled-api
acled_api_page_benin_2022.json
